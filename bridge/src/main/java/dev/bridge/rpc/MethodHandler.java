package dev.bridge.rpc;

import com.google.protobuf.DynamicMessage;
import java.util.concurrent.CompletableFuture;

/**
 * The behaviour behind one RPC method, of any {@link CallShape}, without gRPC types: it pulls its requests
 * from a {@link RequestSource} and answers on a {@link ResponseSink}; the host giving up (cancel, deadline)
 * reaches it through {@link CallContext#cancellation()}. {@link ServerCalls} builds handlers of the four
 * shapes from simpler functions, as grpc-java's {@code ServerCalls} does.
 *
 * <p>{@code start} returns at once; the call ends later, when the handler completes or fails the sink.
 */
@FunctionalInterface
public interface MethodHandler {
  void start(RequestSource requests, ResponseSink responses, CallContext context);

  /**
   * One unary call in-process (for tests and embedding): the request given, the response or the failure
   * ({@link CallFailure}) returned.
   */
  default CompletableFuture<DynamicMessage> unary(DynamicMessage request, CallContext context) {
    return LocalCall.unary(this, request, context);
  }
}
