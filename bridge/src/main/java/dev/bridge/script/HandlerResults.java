package dev.bridge.script;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.CallFailure;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * What a handler's results do to its call, for every call shape: a returned value (or the value a returned
 * promise, any thenable, fulfils with) is the one response; what it throws or rejects with is the call's status
 * ({@link ThrownError}, with the {@code details} of a thrown status packed by {@link ErrorDetails}); a value that
 * does not fit the response type fails the call with {@code INTERNAL} naming the field. Promises are awaited by
 * attaching callbacks, never by blocking the JS thread. Use on the JS thread.
 */
final class HandlerResults {
  private static final Logger LOG = Logger.getLogger("dev.bridge.script");

  private final ScriptRuntime runtime;
  private final MethodDescriptor method;
  private final String displayName;

  HandlerResults(ScriptRuntime runtime, MethodDescriptor method) {
    this.runtime = runtime;
    this.method = method;
    this.displayName = displayName(method);
  }

  /** {@code proto.KV/Get}. */
  static String displayName(MethodDescriptor method) {
    return method.getService().getFullName() + "/" + method.getName();
  }

  String displayName() {
    return displayName;
  }

  /** {@code Get}. */
  String methodName() {
    return method.getName();
  }

  /** Answers the call with what the handler returned, once it settles (a unary or client-streaming call). */
  void answer(ScriptCall call, Value returned) {
    whenSettled(call, returned, value -> settle(call, value), thrown -> reject(call, thrown));
  }

  /**
   * Runs {@code onValue} with the value, or with what it fulfils with if it is a thenable, and {@code onError} with
   * what it rejects with; what these throw fails the call ({@link #guarded}).
   */
  void whenSettled(ScriptCall call, Value value, Consumer<Value> onValue, Consumer<Value> onError) {
    if (!isThenable(value)) {
      guarded(call, () -> onValue.accept(value));
      return;
    }
    ProxyExecutable onFulfilled = args -> {
      guarded(call, () -> onValue.accept(args.length > 0 ? args[0] : null));
      return null;
    };
    ProxyExecutable onRejected = args -> {
      guarded(call, () -> onError.accept(args.length > 0 ? args[0] : null));
      return null;
    };
    try {
      value.invokeMember("then", onFulfilled, onRejected);
    } catch (PolyglotException e) {
      failWith(call, e);
    }
  }

  /** In promise callbacks nothing may escape back into JS, where it would be lost: fail the call instead. */
  void guarded(ScriptCall call, Runnable step) {
    try {
      step.run();
    } catch (PolyglotException e) {
      failWith(call, e);
    } catch (RuntimeException e) {
      call.fail(new CallFailure("INTERNAL", displayName + ": internal error: " + e, e));
    }
  }

  static boolean isThenable(Value value) {
    return value != null && value.hasMembers() && value.canInvokeMember("then");
  }

  /** A value as a response, or the failure naming the field that does not fit ({@code path}: where it came from). */
  DynamicMessage toResponse(Value value, String path) throws MappingException {
    return runtime.mapping().toMessage(method.getOutputType(), value, path);
  }

  /** The failure of a response that does not fit. */
  CallFailure misfit(MappingException e) {
    return new CallFailure("INTERNAL", displayName + ": " + e.getMessage());
  }

  private void settle(ScriptCall call, Value value) {
    if (call.ended()) {
      return;  // too late: the call was cancelled or timed out
    }
    DynamicMessage response;
    try {
      response = toResponse(value, "response");
    } catch (MappingException e) {
      call.fail(misfit(e));
      return;
    }
    call.complete(response);
  }

  /** Fails the call with the status of what the handler threw or rejected with. */
  void reject(ScriptCall call, Value thrown) {
    if (call.ended()) {
      LOG.fine(() -> displayName + ": the handler failed after its call had ended");
      return;
    }
    ThrownError error = ThrownError.of(runtime.helpers(), thrown == null ? Value.asValue(null) : thrown);
    List<Any> details;
    try {
      details = error.expected() ? ErrorDetails.of(runtime.mapping(), method, thrown) : List.of();
    } catch (MappingException e) {
      // Like a response that does not fit: the handler's mistake, which the host cannot read.
      call.fail(new CallFailure("INTERNAL", displayName + ": " + e.getMessage() + " (in a thrown " + error.code()
          + " error: " + error.message() + ")"));
      return;
    }
    call.fail(error.toFailure(details));
  }

  /** Fails the call for an exception out of its JavaScript. */
  void failWith(ScriptCall call, PolyglotException e) {
    if (HeapExhaustion.is(e)) {
      // GraalJS reports it as a guest exception with no guest object; the drop fails this call.
      runtime.heapExhausted(e.getMessage());
      return;
    }
    if (e.isGuestException() && e.getGuestObject() != null) {
      reject(call, e.getGuestObject());
      return;
    }
    if (e.isCancelled()) {
      call.fail(new CallFailure("UNAVAILABLE", displayName + ": the script was closed"));
    } else if (e.isInterrupted()) {
      call.fail(new CallFailure("DEADLINE_EXCEEDED", displayName + ": interrupted"));
    } else if (e.isResourceExhausted()) {
      call.fail(new CallFailure("RESOURCE_EXHAUSTED", displayName + ": " + e.getMessage()));
    } else {
      call.fail(new CallFailure("INTERNAL", displayName + ": " + e.getMessage(), e));
    }
  }
}
