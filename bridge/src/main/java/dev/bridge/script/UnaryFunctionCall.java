package dev.bridge.script;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.CallContext;
import dev.bridge.rpc.ServerCalls;
import java.util.concurrent.CompletionStage;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

/**
 * One unary method served by an exported function: {@code fn(request, context)} ({@link CallContextObject}). A
 * plain return value is the response, a returned promise is awaited; a throw or rejection is the call's status
 * ({@link HandlerResults}). The dispatcher logs each failure once ({@code CallLog}), with the JavaScript stack of
 * what was thrown if it was no status. The call's time limit (from start to settle) and the host's cancellation
 * are {@link ScriptCall}'s; the handler sees them through {@code context.signal}.
 */
final class UnaryFunctionCall implements ServerCalls.UnaryMethod {
  private final ScriptRuntime runtime;
  private final ExportedHandler.Source target;
  private final HandlerResults results;

  UnaryFunctionCall(ScriptRuntime runtime, MethodDescriptor method, ExportedHandler.Source target) {
    this.runtime = runtime;
    this.target = target;
    this.results = new HandlerResults(runtime, method);
  }

  @Override
  public CompletionStage<DynamicMessage> invoke(DynamicMessage request, CallContext context) {
    return runtime.submit(target, results.displayName(), context, false,
        (function, call) -> start(function, request, context, call));
  }

  /** On the JS thread. */
  private void start(ExportedHandler function, DynamicMessage request, CallContext context, ScriptCall call) {
    Value returned;
    try {
      returned = function.execute(runtime.mapping().toJs(request),
          CallContextObject.create(runtime.helpers(), context, call));
    } catch (PolyglotException e) {
      results.failWith(call, e);
      return;
    }
    results.answer(call, returned);
  }
}
