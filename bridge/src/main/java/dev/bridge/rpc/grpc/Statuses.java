package dev.bridge.rpc.grpc;

import dev.bridge.rpc.CallFailure;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
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

  /**
   * The failure as grpc-java sends it: the status, and for a failure with details a
   * {@code google.rpc.Status} in the {@code grpc-status-details-bin} trailer (what Go's
   * {@code status.FromError(err).Details()} reads).
   */
  static StatusRuntimeException exception(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof CallFailure call && !call.details().isEmpty()) {
      Status status = of(call);
      com.google.rpc.Status rich = com.google.rpc.Status.newBuilder()
          .setCode(status.getCode().value())
          .setMessage(call.getMessage() == null ? "" : call.getMessage())
          .addAllDetails(call.details())
          .build();
      return StatusProto.toStatusRuntimeException(rich, new Metadata());
    }
    return of(failure).asRuntimeException();
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
