package dev.bridge.dispatch;

import com.google.protobuf.DynamicMessage;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls.UnaryMethod;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves a unary method by one handler call; the transport thread returns as soon as the call is handed
 * over. The handler learns the host's deadline and is told when the host cancels the call or the
 * deadline passes (gRPC then answers the host itself, with {@code CANCELLED} or
 * {@code DEADLINE_EXCEEDED}); an answer that comes too late is dropped quietly.
 */
final class UnaryCall implements UnaryMethod<InboundRequest, DynamicMessage> {
  private static final Logger LOG = Logger.getLogger("dev.bridge.dispatch");

  private final String fullMethodName;
  private final MethodHandler handler;

  UnaryCall(String fullMethodName, MethodHandler handler) {
    this.fullMethodName = fullMethodName;
    this.handler = handler;
  }

  @Override
  public void invoke(InboundRequest request, StreamObserver<DynamicMessage> observer) {
    var responses = (ServerCallStreamObserver<DynamicMessage>) observer;
    // Without a cancel handler, answering a call the host gave up on would throw on our side.
    responses.setOnCancelHandler(() -> {});
    if (!request.parsed()) {
      answer(responses, null, new CallFailure("INVALID_ARGUMENT", fullMethodName + ": " + request.parseError()));
      return;
    }
    Context grpcContext = Context.current();
    CallCancellation cancellation = new CallCancellation();
    Context.CancellationListener onCancel = cancelled -> cancellation.cancel(reason(cancelled));
    grpcContext.addListener(onCancel, Runnable::run);
    Metadata headers = CallMetadata.currentHeaders();
    CallContext context = new CallContext(fullMethodName, () -> CallMetadata.ascii(headers),
        deadlineOf(grpcContext), cancellation)
        .withBinaryMetadata(() -> CallMetadata.binary(headers))
        .withResponseMetadata(CallMetadata.currentResponse());
    CompletionStage<DynamicMessage> result;
    try {
      result = handler.unary(request.message(), context);
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    result.whenComplete((response, failure) -> {
      grpcContext.removeListener(onCancel);
      // What the handler set so far is what is sent; later additions fail in the handler.
      context.responseMetadata().seal();
      answer(responses, response, failure);
    });
  }

  private void answer(ServerCallStreamObserver<DynamicMessage> responses, DynamicMessage response, Throwable failure) {
    if (responses.isCancelled()) {
      // gRPC answered the host itself (CANCELLED or DEADLINE_EXCEEDED); the handler's outcome is the log's
      if (failure != null) {
        CallLog.failed(fullMethodName, failure);
      } else {
        LOG.fine(() -> fullMethodName + ": answered after the host gave up on the call");
      }
      return;
    }
    try {
      if (failure == null) {
        responses.onNext(response);
        responses.onCompleted();
      } else {
        CallLog.failed(fullMethodName, failure);
        responses.onError(Statuses.exception(failure));
      }
    } catch (RuntimeException e) {
      // The host gave up between the check and the answer: nobody is listening any more.
      LOG.log(Level.FINE, fullMethodName + ": answer dropped, the call is over", e);
    }
  }

  private static Optional<Instant> deadlineOf(Context context) {
    Deadline deadline = context.getDeadline();
    if (deadline == null) {
      return Optional.empty();
    }
    return Optional.of(Instant.now().plusNanos(deadline.timeRemaining(TimeUnit.NANOSECONDS)));
  }

  /** Why grpc cancelled the call's context, as a status for the handler. */
  private CallFailure reason(Context cancelled) {
    Throwable cause = cancelled.cancellationCause();
    Status status = cause instanceof TimeoutException ? Status.DEADLINE_EXCEEDED : Status.fromThrowable(cause);
    if (cause == null) {
      status = Status.CANCELLED;
    }
    if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
      return new CallFailure("DEADLINE_EXCEEDED", fullMethodName + ": the host's deadline passed");
    }
    return new CallFailure("CANCELLED", fullMethodName + ": the host cancelled the call");
  }
}
