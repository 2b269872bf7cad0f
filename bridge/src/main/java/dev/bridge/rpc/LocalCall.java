package dev.bridge.rpc;

import com.google.protobuf.DynamicMessage;
import java.util.concurrent.CompletableFuture;

/**
 * Calls made in-process, without a transport: the requests come from the caller's hand and the responses go
 * back to it. What {@code bridgejs call}, the AOT training and tests run.
 */
public final class LocalCall {
  private LocalCall() {}

  /** One request in; the one response, or the call's failure ({@link CallFailure}). */
  public static CompletableFuture<DynamicMessage> unary(MethodHandler handler, DynamicMessage request,
      CallContext context) {
    CompletableFuture<DynamicMessage> result = new CompletableFuture<>();
    ResponseSink responses = new ResponseSink() {
      private DynamicMessage response;

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setOnReady(Runnable listener) {}

      @Override
      public void next(DynamicMessage message) {
        if (response != null) {
          throw new IllegalStateException(context.fullMethodName() + ": a second response to a call that takes one");
        }
        response = message;
      }

      @Override
      public void complete() {
        context.responseMetadata().seal();
        if (response == null) {
          result.completeExceptionally(new CallFailure("INTERNAL", context.fullMethodName()
              + ": the handler ended the call without a response"));
        } else {
          result.complete(response);
        }
      }

      @Override
      public void fail(CallFailure failure) {
        context.responseMetadata().seal();
        result.completeExceptionally(failure);
      }
    };
    RequestSource requests = new SingleRequest(request);
    try {
      handler.start(requests, responses, context);
    } catch (RuntimeException e) {
      responses.fail(DirectCall.failureOf(e));
    }
    return result;
  }
}
