package dev.bridge.script;

import com.google.protobuf.Descriptors.MethodDescriptor;
import dev.bridge.rpc.CallShape;
import dev.bridge.rpc.Handlers;
import dev.bridge.rpc.MethodHandler;
import dev.bridge.rpc.ServerCalls;
import java.util.Optional;

/**
 * The script's exports as method handlers of every call shape, found by {@link HandlerRule}: method {@code Get} of
 * service {@code Inventory} is served by {@code export const Inventory = { Get(request, context) }} or by
 * {@code export function Get(request, context)}; unary methods by {@link UnaryFunctionCall}, streaming ones by
 * {@link StreamingFunctionCall}.
 */
final class ScriptHandlers implements Handlers {
  private final ScriptRuntime runtime;

  ScriptHandlers(ScriptRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public Optional<MethodHandler> find(MethodDescriptor method) {
    return HandlerRule.find(runtime.exports(), method).map(target -> handler(method, target));
  }

  private MethodHandler handler(MethodDescriptor method, HandlerRule.Target target) {
    CallShape shape = CallShape.of(method);
    if (shape == CallShape.UNARY) {
      return ServerCalls.unary(new UnaryFunctionCall(runtime, method, target));
    }
    StreamingFunctionCall call = new StreamingFunctionCall(runtime, method, target);
    return switch (shape) {
      case SERVER_STREAMING -> ServerCalls.serverStreaming(call::serverStreaming);
      case CLIENT_STREAMING -> ServerCalls.clientStreaming(call::clientStreaming);
      default -> ServerCalls.bidiStreaming(call::bidiStreaming);
    };
  }

  @Override
  public String describeMissing(MethodDescriptor method) {
    return HandlerRule.describeMissing(runtime.script(), runtime.exports(), method);
  }
}
