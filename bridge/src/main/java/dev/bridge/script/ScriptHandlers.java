package dev.bridge.script;

import com.google.protobuf.Descriptors.MethodDescriptor;
import dev.bridge.rpc.CallShape;
import dev.bridge.rpc.Handlers;
import dev.bridge.rpc.MethodHandler;
import dev.bridge.rpc.ServerCalls;
import java.util.Optional;
import java.util.function.Function;

/**
 * A script's functions as method handlers of every call shape: unary methods by {@link UnaryFunctionCall},
 * streaming ones by {@link StreamingFunctionCall}. The module's exports, found by {@link HandlerRule}: method
 * {@code Get} of service {@code Inventory} is served by {@code export const Inventory = { Get(request, context) }}
 * or by {@code export function Get(request, context)}; or the functions of an object served through
 * {@code broker.serve} ({@link BrokerServing}), found the same way for both.
 */
final class ScriptHandlers implements Handlers {
  private final ScriptRuntime runtime;
  private final Function<MethodDescriptor, Optional<ExportedHandler.Source>> finder;
  private final Function<MethodDescriptor, String> missing;

  /** The module's exports. */
  ScriptHandlers(ScriptRuntime runtime) {
    this(runtime, method -> HandlerRule.find(runtime.exports(), method).map(ExportedHandler.Source::exported),
        method -> HandlerRule.describeMissing(runtime.script(), runtime.exports(), method));
  }

  /**
   * @param finder where the method's function is, if the script has one
   * @param missing what the script would need to write for a method it has no function for
   */
  ScriptHandlers(ScriptRuntime runtime, Function<MethodDescriptor, Optional<ExportedHandler.Source>> finder,
      Function<MethodDescriptor, String> missing) {
    this.runtime = runtime;
    this.finder = finder;
    this.missing = missing;
  }

  @Override
  public Optional<MethodHandler> find(MethodDescriptor method) {
    return finder.apply(method).map(target -> handler(method, target));
  }

  private MethodHandler handler(MethodDescriptor method, ExportedHandler.Source target) {
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
    return missing.apply(method);
  }
}
