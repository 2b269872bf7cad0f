package dev.bridge.script;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.CallContext;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.ServerCalls;
import dev.bridge.rpc.ResponseMetadata;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.logging.Logger;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * One unary method served by an exported function: {@code fn(request, {method, metadata, deadline,
 * signal, setHeader, setTrailer})}; the headers and trailers it sets are kept in the call's
 * {@link ResponseMetadata}, and the {@code details} of a thrown status are packed ({@link ErrorDetails}). A plain
 * return value is the response; a returned promise (any thenable) is awaited by attaching callbacks,
 * never by blocking the JS thread. What the function throws or rejects with becomes the call's status
 * ({@link ThrownError}); a result that does not fit the response type fails the call with
 * {@code INTERNAL} naming the field. The dispatcher logs each failure once ({@code CallLog}), with the
 * JavaScript stack of what was thrown if it was no status. The call's time limit and the host's cancellation are
 * {@link ScriptCall}'s; the handler sees them through {@code context.signal}.
 */
final class UnaryFunctionCall implements ServerCalls.UnaryMethod {
  private static final Logger LOG = Logger.getLogger("dev.bridge.script");

  private final ScriptRuntime runtime;
  private final MethodDescriptor method;
  private final HandlerRule.Target target;
  private final String displayName;

  UnaryFunctionCall(ScriptRuntime runtime, MethodDescriptor method, HandlerRule.Target target) {
    this.runtime = runtime;
    this.method = method;
    this.target = target;
    this.displayName = displayName(method);
  }

  /** {@code proto.KV/Get}. */
  static String displayName(MethodDescriptor method) {
    return method.getService().getFullName() + "/" + method.getName();
  }

  @Override
  public CompletionStage<DynamicMessage> invoke(DynamicMessage request, CallContext context) {
    return runtime.submit(target, displayName, context, (function, call) -> start(function, request, context, call));
  }

  /** On the JS thread. */
  private void start(ExportedHandler function, DynamicMessage request, CallContext context, ScriptCall result) {
    ValueMapping mapping = runtime.mapping();
    Value returned;
    try {
      returned = function.execute(mapping.toJs(request), contextObject(context, result));
    } catch (PolyglotException e) {
      failWith(result, e);
      return;
    }
    if (isThenable(returned)) {
      ProxyExecutable onFulfilled = args -> {
        guarded(result, () -> settle(result, args.length > 0 ? args[0] : null));
        return null;
      };
      ProxyExecutable onRejected = args -> {
        guarded(result, () -> reject(result, args.length > 0 ? args[0] : null));
        return null;
      };
      try {
        returned.invokeMember("then", onFulfilled, onRejected);
      } catch (PolyglotException e) {
        failWith(result, e);
      }
    } else {
      guarded(result, () -> settle(result, returned));
    }
  }

  /** In promise callbacks nothing may escape back into JS, where it would be lost: fail the call instead. */
  private void guarded(ScriptCall result, Runnable step) {
    try {
      step.run();
    } catch (PolyglotException e) {
      failWith(result, e);
    } catch (RuntimeException e) {
      result.fail(new CallFailure("INTERNAL", displayName + ": internal error: " + e, e));
    }
  }

  private static boolean isThenable(Value value) {
    return value != null && value.hasMembers() && value.canInvokeMember("then");
  }

  private Value contextObject(CallContext context, ScriptCall call) {
    JsHelpers js = runtime.helpers();
    Value contextObject = js.callContext(context.fullMethodName(),
        context.deadline().map(Instant::toEpochMilli).orElse(null), args -> metadataObject(js, context),
        args -> addMetadata(js, context.responseMetadata(), args[0].asBoolean(), args[1].asString(), args[2]));
    call.handlerContext(contextObject);
    return contextObject;
  }

  /**
   * Header name to a frozen array of its values, frozen: strings, and for {@code -bin} headers
   * {@code Uint8Array}s (grpc has decoded their base64).
   */
  private static Value metadataObject(JsHelpers js, CallContext context) {
    Value metadata = js.newObject();
    for (Map.Entry<String, List<String>> entry : context.metadata().entrySet()) {
      Value values = js.newArray();
      List<String> list = entry.getValue();
      for (int i = 0; i < list.size(); i++) {
        values.setArrayElement(i, list.get(i));
      }
      metadata.putMember(entry.getKey(), js.freeze(values));
    }
    for (Map.Entry<String, List<byte[]>> entry : context.binaryMetadata().entrySet()) {
      Value values = js.newArray();
      List<byte[]> list = entry.getValue();
      for (int i = 0; i < list.size(); i++) {
        values.setArrayElement(i, JsBytes.toJs(js, list.get(i)));
      }
      metadata.putMember(entry.getKey(), js.freeze(values));
    }
    return js.freeze(metadata);
  }

  /**
   * {@code context.setHeader}/{@code setTrailer}: null when kept, else {@code T<message>} for a bad name or
   * value (a TypeError in JS) or {@code E<message>} when the call is already answered.
   */
  private static String addMetadata(JsHelpers js, ResponseMetadata response, boolean trailer, String name, Value value) {
    Object kept;
    if (value.isString()) {
      kept = value.asString();
    } else if (!value.isNull() && value.hasMembers() && !js.describe(value).equals("object")) {
      byte[] bytes = JsBytes.fromJs(js, value);
      kept = bytes != null ? bytes : new ResponseMetadata.Unusable(js.describe(value));
    } else {
      kept = new ResponseMetadata.Unusable(js.describe(value));
    }
    try {
      response.add(trailer, name, kept);
      return null;
    } catch (ResponseMetadata.InvalidMetadataException e) {
      return "T" + e.getMessage();
    } catch (ResponseMetadata.CallEndedException e) {
      return "E" + e.getMessage();
    }
  }

  private void settle(ScriptCall result, Value value) {
    if (result.ended()) {
      return;  // too late: the call was cancelled or timed out
    }
    DynamicMessage response;
    try {
      response = runtime.mapping().toMessage(method.getOutputType(), value, "response");
    } catch (MappingException e) {
      result.fail(new CallFailure("INTERNAL", displayName + ": " + e.getMessage()));
      return;
    }
    result.complete(response);
  }

  private void reject(ScriptCall result, Value thrown) {
    if (result.ended()) {
      LOG.fine(() -> displayName + ": the handler failed after its call had ended");
      return;
    }
    ThrownError error = ThrownError.of(runtime.helpers(), thrown == null ? Value.asValue(null) : thrown);
    List<Any> details;
    try {
      details = error.expected() ? ErrorDetails.of(runtime.mapping(), method, thrown) : List.of();
    } catch (MappingException e) {
      // Like a response that does not fit: the handler's mistake, which the host cannot read.
      result.fail(new CallFailure("INTERNAL", displayName + ": " + e.getMessage() + " (in a thrown " + error.code()
          + " error: " + error.message() + ")"));
      return;
    }
    result.fail(error.toFailure(details));
  }

  private void failWith(ScriptCall result, PolyglotException e) {
    if (HeapExhaustion.is(e)) {
      // GraalJS reports it as a guest exception with no guest object; the drop fails this call.
      runtime.heapExhausted(e.getMessage());
      return;
    }
    if (e.isGuestException() && e.getGuestObject() != null) {
      reject(result, e.getGuestObject());
      return;
    }
    if (e.isCancelled()) {
      result.fail(new CallFailure("UNAVAILABLE", displayName + ": the script was closed"));
    } else if (e.isInterrupted()) {
      result.fail(new CallFailure("DEADLINE_EXCEEDED", displayName + ": interrupted"));
    } else if (e.isResourceExhausted()) {
      result.fail(new CallFailure("RESOURCE_EXHAUSTED", displayName + ": " + e.getMessage()));
    } else {
      result.fail(new CallFailure("INTERNAL", displayName + ": " + e.getMessage(), e));
    }
  }
}
