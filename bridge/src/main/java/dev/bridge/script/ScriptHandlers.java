package dev.bridge.script;

import com.google.protobuf.Descriptors.MethodDescriptor;
import dev.bridge.dispatch.Handlers;
import dev.bridge.dispatch.MethodHandler;
import java.util.Optional;

/**
 * The script's exported functions as method handlers: method {@code Get} of any service is served by
 * {@code export function Get(request, context)}. Only unary methods for now.
 */
final class ScriptHandlers implements Handlers {
  private final ScriptRuntime runtime;

  ScriptHandlers(ScriptRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public Optional<MethodHandler> find(MethodDescriptor method) {
    String name = functionName(method);
    if (!runtime.hasFunction(name) || method.isClientStreaming() || method.isServerStreaming()) {
      return Optional.empty();
    }
    return Optional.of(new UnaryFunctionCall(runtime, method, name));
  }

  @Override
  public String describeMissing(MethodDescriptor method) {
    String name = functionName(method);
    if (method.isClientStreaming() || method.isServerStreaming()) {
      return "streaming method " + UnaryFunctionCall.displayName(method) + " is not supported by script handlers yet";
    }
    return "the script " + runtime.script().getFileName() + " exports no function " + name
        + " for " + UnaryFunctionCall.displayName(method)
        + " (add: export function " + name + "(request, context) { ... })";
  }

  static String functionName(MethodDescriptor method) {
    return method.getName();
  }
}
