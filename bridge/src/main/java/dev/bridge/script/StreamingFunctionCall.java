package dev.bridge.script;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.CallContext;
import dev.bridge.rpc.DirectCall;
import dev.bridge.rpc.RequestSource;
import dev.bridge.rpc.ResponseSink;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

/**
 * A streaming method served by an exported function, as README's JavaScript API describes: server streaming
 * {@code fn(request, context)} and bidi {@code fn(requests, context)} return an async iterable whose values are
 * the responses ({@link ResponsePump}); client streaming {@code fn(requests, context)} returns the one response
 * or a promise of it. {@code requests} is a {@link RequestIterable}; {@code context} is a unary call's
 * ({@link CallContextObject}). The call is a stream for its {@link ScriptCall}: its time limit applies to each
 * turn, the host's deadline to the whole call. When it ends early (host cancel, deadline, time limit) the signal
 * aborts, reads of {@code requests} fail with its reason and the response iterator is closed ({@code return()}),
 * so that {@code finally} blocks run.
 */
final class StreamingFunctionCall {
  private final ScriptRuntime runtime;
  private final ExportedHandler.Source target;
  private final HandlerResults results;

  StreamingFunctionCall(ScriptRuntime runtime, MethodDescriptor method, ExportedHandler.Source target) {
    this.runtime = runtime;
    this.target = target;
    this.results = new HandlerResults(runtime, method);
  }

  /** One request in, the responses the handler yields out. */
  void serverStreaming(DynamicMessage request, ResponseSink responses, CallContext context) {
    ResponseSink sink = new EndOnceSink(responses);
    endWith(sink, start(context, request, null, sink));
  }

  /** The requests as the handler reads them, its one response out. */
  CompletionStage<DynamicMessage> clientStreaming(RequestSource requests, CallContext context) {
    return start(context, null, requests, null);
  }

  /** The requests as the handler reads them, the responses it yields out, interleaved as it likes. */
  void bidiStreaming(RequestSource requests, ResponseSink responses, CallContext context) {
    ResponseSink sink = new EndOnceSink(responses);
    endWith(sink, start(context, null, requests, sink));
  }

  /**
   * Starts the handler with {@code request}, or with {@code requests} as an AsyncIterable; its result is the
   * responses into {@code sink}, or without a sink the one response (the outcome's).
   */
  private CompletableFuture<DynamicMessage> start(CallContext context, DynamicMessage request, RequestSource requests,
      ResponseSink sink) {
    return runtime.submit(target, results.displayName(), context, true, (function, call) -> {
      Value contextObject = CallContextObject.create(runtime.helpers(), context, call);
      RequestIterable reads = requests == null ? null : RequestIterable.open(runtime, call, requests);
      if (reads != null) {
        call.onEarlyEnd(reason -> reads.abort(runtime.helpers().signalReason(contextObject)));
      }
      Value returned = execute(call, function, reads == null ? runtime.mapping().toJs(request) : reads.value(),
          contextObject);
      if (returned == null) {
        return;
      }
      if (sink == null) {
        results.answer(call, returned);
      } else {
        pump(call, contextObject, reads, sink, returned);
      }
    });
  }

  /** On the JS thread: the handler's result, or null (and the call failed) if it threw. */
  private Value execute(ScriptCall call, ExportedHandler function, Object first, Value contextObject) {
    try {
      return function.execute(first, contextObject);
    } catch (PolyglotException e) {
      results.failWith(call, e);
      return null;
    }
  }

  /** On the JS thread: sends what the handler yields; an early end also closes its iterator. */
  private void pump(ScriptCall call, Value contextObject, RequestIterable reads, ResponseSink sink, Value returned) {
    ResponsePump pump = ResponsePump.start(runtime, call, results, sink, returned);
    if (pump == null) {
      return;
    }
    call.onEarlyEnd(reason -> {
      if (reads != null) {
        reads.abort(runtime.helpers().signalReason(contextObject));
      }
      pump.close();
    });
  }

  /** The stream's end, whoever decides it: the handler, the host, the time limit, the runtime closing. */
  private static void endWith(ResponseSink sink, CompletableFuture<DynamicMessage> outcome) {
    outcome.whenComplete((none, failure) -> {
      if (failure == null) {
        sink.complete();
      } else {
        sink.fail(DirectCall.failureOf(failure));
      }
    });
  }
}
