package dev.bridge.rpc.grpc;

import dev.bridge.rpc.CallFailure;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns a handler's failure into the status the host sees, and a status a remote service answered into a failure. */
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

  /**
   * A status a remote service (or the transport) answered, as a {@link CallFailure}: its code, its description
   * (with the local cause's message, such as "connection refused", when the failure happened on this side), and
   * the details of a {@code google.rpc.Status} in {@code grpc-status-details-bin}; null for OK.
   *
   * @param context what the failure is about when the transport failed (a remote channel's description), put before
   *     a locally caused message so that it says where; may be empty
   */
  static CallFailure failure(Status status, Metadata trailers, String context) {
    if (status.isOk()) {
      return null;
    }
    String message = status.getDescription() == null ? "" : status.getDescription();
    Throwable cause = status.getCause();
    if (cause != null) {
      String causeMessage = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
      message = (message.isEmpty() ? "" : message + ": ") + causeMessage;
      if (!context.isEmpty()) {
        message = context + ": " + message;
      }
    }
    List<com.google.protobuf.Any> details = List.of();
    try {
      com.google.rpc.Status rich = trailers == null ? null : StatusProto.fromStatusAndTrailers(status, trailers);
      if (rich != null) {
        details = rich.getDetailsList();
      }
    } catch (IllegalArgumentException e) {
      // The details trailer disagrees with the status (another code) or does not parse: the status is what the
      // server meant, so it stands, and the broken details are said rather than passed on.
      message = message + " (with unreadable error details: " + e.getMessage() + ")";
    }
    return new CallFailure(status.getCode().name(), message, cause, null, details);
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
