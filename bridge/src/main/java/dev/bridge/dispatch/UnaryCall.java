package dev.bridge.dispatch;

import com.google.protobuf.DynamicMessage;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls.UnaryMethod;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Serves a unary method by one handler call; the transport thread returns as soon as the call is handed over. */
final class UnaryCall implements UnaryMethod<DynamicMessage, DynamicMessage> {
  private static final Logger LOG = Logger.getLogger("dev.bridge.dispatch");

  private final String fullMethodName;
  private final MethodHandler handler;

  UnaryCall(String fullMethodName, MethodHandler handler) {
    this.fullMethodName = fullMethodName;
    this.handler = handler;
  }

  @Override
  public void invoke(DynamicMessage request, StreamObserver<DynamicMessage> observer) {
    var responses = (ServerCallStreamObserver<DynamicMessage>) observer;
    // Without a cancel handler, answering a call the host gave up on would throw on our side.
    responses.setOnCancelHandler(() -> {});
    CompletionStage<DynamicMessage> result;
    try {
      result = handler.unary(request, CallMetadata.current(fullMethodName));
    } catch (RuntimeException e) {
      result = java.util.concurrent.CompletableFuture.failedFuture(e);
    }
    result.whenComplete((response, failure) -> {
      if (responses.isCancelled()) {
        return;
      }
      if (failure == null) {
        responses.onNext(response);
        responses.onCompleted();
      } else {
        var status = Statuses.of(failure);
        if (status.getCode() == io.grpc.Status.Code.UNKNOWN) {
          LOG.log(Level.WARNING, fullMethodName + " failed: " + status.getDescription(), status.getCause());
        }
        responses.onError(status.asRuntimeException());
      }
    });
  }
}
