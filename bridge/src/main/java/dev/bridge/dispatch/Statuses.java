package dev.bridge.dispatch;

import io.grpc.Status;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns a handler's failure into the status the host sees. */
final class Statuses {
  private Statuses() {}

  static Status of(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof CallFailure call) {
      return Status.fromCode(Status.Code.valueOf(call.code())).withDescription(call.getMessage());
    }
    String message = cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
    return Status.UNKNOWN.withDescription(message).withCause(cause);
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable current = failure;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
