package dev.bridge.dispatch;

import com.google.protobuf.DynamicMessage;
import java.util.concurrent.CompletionStage;

/**
 * The behaviour behind one RPC method, as the dispatcher sees it: a request message in, a response
 * message out, completed later when the implementation is asynchronous. Implementations know nothing
 * of gRPC transport; a failure is reported by completing exceptionally with a {@link CallFailure}
 * (any other exception becomes {@code UNKNOWN}).
 */
@FunctionalInterface
public interface MethodHandler {
  CompletionStage<DynamicMessage> unary(DynamicMessage request, CallContext context);
}
