package dev.bridge.script;

import com.google.protobuf.Descriptors.MethodDescriptor;
import dev.bridge.rpc.Handlers;
import dev.bridge.rpc.MethodHandler;
import dev.bridge.rpc.ServerCalls;
import java.util.Optional;

/**
 * The script's exports as method handlers, found by {@link HandlerRule}: method {@code Get} of service
 * {@code Inventory} is served by {@code export const Inventory = { Get(request, context) }} or by
 * {@code export function Get(request, context)}. Only unary methods for now.
 */
final class ScriptHandlers implements Handlers {
  private final ScriptRuntime runtime;

  ScriptHandlers(ScriptRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public Optional<MethodHandler> find(MethodDescriptor method) {
    if (method.isClientStreaming() || method.isServerStreaming()) {
      return Optional.empty();
    }
    return HandlerRule.find(runtime.exports(), method)
        .map(target -> ServerCalls.unary(new UnaryFunctionCall(runtime, method, target)));
  }

  @Override
  public String describeMissing(MethodDescriptor method) {
    if (method.isClientStreaming() || method.isServerStreaming()) {
      return "streaming method " + UnaryFunctionCall.displayName(method) + " is not supported by script handlers yet";
    }
    return HandlerRule.describeMissing(runtime.script(), runtime.exports(), method);
  }
}
