package dev.bridge.script;

import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.ResponseSink;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * Drives the async iterator a server-streaming or bidi handler returned into the call's {@link ResponseSink}:
 * {@code next()} is called only while the sink is ready, so a generator is not resumed while the host is not
 * reading (at most one response is ever yielded and not yet sent). Responses sent end the turn: the next
 * {@code next()} is a turn of its own ({@link ScriptRuntime#runTurn}), so a stream that keeps yielding is never
 * cut by the time limit. Only responses that come in quick succession share a turn (up to {@link #BATCH} of
 * them within {@link ScriptCall#BATCH_NANOS}): a task per response cost a third of a fast stream's throughput. The
 * iterator finishing ends the call OK; what it throws, its status.
 *
 * <p>The loop itself is JavaScript ({@link JsHelpers#pumpResponses}): per response it calls into Java once, to
 * {@link #send} it, which says whether to go on; when not (the sink not ready, the turn's share used up) the loop
 * waits until a later turn resumes it ({@link #waitFor}, {@link #turn}). Driving {@code next()} from
 * Java instead cost a promise callback, two member reads and a host-to-guest call per response: a third of the
 * throughput of a fast stream, with the interpreter.
 */
final class ResponsePump {
  private static final Logger LOG = Logger.getLogger("dev.bridge.script");
  /** At most this many responses are sent in one turn (and only for {@link ScriptCall#BATCH_NANOS}). */
  private static final int BATCH = 64;

  private final ScriptRuntime runtime;
  private final ScriptCall call;
  private final HandlerResults results;
  private final ResponseSink responses;
  private final Value iterator;
  /** Set while waiting for the sink to turn ready; whoever clears it resumes the loop. */
  private final AtomicBoolean waitingForReady = new AtomicBoolean();
  /** JS thread only: responses sent, in all and in the pump's current turn, which started at {@link #turnStarted}. */
  private long sent;
  private int sentThisTurn;
  private long turnStarted;
  /** JS thread only: the iterator finished or failed (no {@code return()} needed). */
  private boolean finished;
  /** JS thread only: what resumes the waiting loop (its {@code go}), or null. */
  private Value resume;

  private ResponsePump(ScriptRuntime runtime, ScriptCall call, HandlerResults results, ResponseSink responses,
      Value iterator) {
    this.runtime = runtime;
    this.call = call;
    this.results = results;
    this.responses = responses;
    this.iterator = iterator;
  }

  /**
   * On the JS thread: starts sending what {@code returned} (the handler's result) yields, or fails the call if it is
   * no async iterable; null then.
   */
  static ResponsePump start(ScriptRuntime runtime, ScriptCall call, HandlerResults results, ResponseSink responses,
      Value returned) {
    Value iterator = runtime.helpers().asyncIterator(returned);
    if (iterator == null || iterator.isNull() || !iterator.canInvokeMember("next")) {
      call.fail(new CallFailure("INTERNAL", results.displayName() + ": a streaming handler must return an async "
          + "iterable, such as an async generator (async *" + results.methodName() + "(...) { yield ... }); got "
          + runtime.helpers().describe(returned)));
      return null;
    }
    ResponsePump pump = new ResponsePump(runtime, call, results, responses, iterator);
    responses.setOnReady(pump::ready);
    pump.turnStarted = System.nanoTime();
    ProxyExecutable send = args -> pump.send(args.length > 0 ? args[0] : null);
    ProxyExecutable wait = args -> {
      results.guarded(call, () -> pump.waitFor(args[0]));
      return null;
    };
    Value loop;
    try {
      loop = runtime.helpers().pumpResponses(iterator, send, wait);
    } catch (PolyglotException e) {
      pump.finished = true;
      results.failWith(call, e);
      return pump;
    }
    results.whenSettled(call, loop, pump::ended, thrown -> {
      pump.finished = true;
      results.reject(call, thrown);
    });
    return pump;
  }

  /** The sink turned ready (a transport thread). */
  private void ready() {
    if (waitingForReady.compareAndSet(true, false)) {
      runtime.runTurn(call, this::turn);
    }
  }

  /** On the JS thread: a turn of the pump's own, resuming the loop. */
  private void turn() {
    turnStarted = System.nanoTime();
    sentThisTurn = 0;
    Value waiting = resume;
    resume = null;
    if (waiting != null) {
      waitFor(waiting);  // on now if the host reads, else once it does
    }
  }

  /** On the JS thread: whether this turn may go on sending (its share not used up, the host reading). */
  private boolean mayGoOn() {
    return sentThisTurn < BATCH && System.nanoTime() - turnStarted < ScriptCall.BATCH_NANOS && responses.isReady();
  }

  /** On the JS thread (the loop): one response; whether the loop goes on now. */
  private boolean send(Value value) {
    if (call.ended()) {
      return false;  // the loop then waits for good; an early end closes the iterator (close())
    }
    DynamicMessage response;
    try {
      response = results.toResponse(value, "responses[" + sent + "]");
    } catch (MappingException e) {
      call.fail(results.misfit(e));
      close();
      return false;
    } catch (PolyglotException e) {
      results.failWith(call, e);
      close();
      return false;
    } catch (RuntimeException e) {
      call.fail(new CallFailure("INTERNAL", results.displayName() + ": internal error: " + e, e));
      close();
      return false;
    }
    sent++;
    sentThisTurn++;
    responses.next(response);
    return mayGoOn();
  }

  /** On the JS thread (the loop): it waits; {@code resolve} ({@code go}) resumes it now, in a turn of its own, or once ready. */
  private void waitFor(Value resolve) {
    if (call.ended()) {
      return;  // never resumed
    }
    if (mayGoOn()) {
      resolve.execute(true);
      return;
    }
    resume = resolve;
    if (sentThisTurn >= BATCH || System.nanoTime() - turnStarted >= ScriptCall.BATCH_NANOS) {
      runtime.runTurn(call, this::turn);
      return;
    }
    waitingForReady.set(true);
    // Ready meanwhile: the listener may have missed the flag; whoever clears it resumes.
    if (responses.isReady() && waitingForReady.compareAndSet(true, false)) {
      runtime.runTurn(call, this::turn);
    }
  }

  /** On the JS thread: the loop ended with the iterator's last result (done, or not a result at all). */
  private void ended(Value result) {
    finished = true;
    if (call.ended()) {
      return;
    }
    if (result == null || !result.hasMembers()) {
      call.fail(new CallFailure("INTERNAL", results.displayName() + ": the responses' iterator gave "
          + (result == null ? "undefined" : runtime.helpers().describe(result)) + " instead of {value, done}"));
      return;
    }
    call.complete(null);
  }

  /**
   * On the JS thread, once the call ended while the iterator was not done: {@code return()} closes it, so a
   * generator's {@code finally} blocks run (at its {@code yield}, or once its pending step settles).
   */
  void close() {
    if (finished || !iterator.canInvokeMember("return")) {
      return;
    }
    finished = true;
    Value closing = iterator.invokeMember("return");
    if (HandlerResults.isThenable(closing)) {
      ProxyExecutable closed = args -> null;
      ProxyExecutable failed = args -> {
        String why = args.length > 0 ? runtime.helpers().toStringOf(args[0]) : "undefined";
        LOG.fine(() -> results.displayName() + ": closing the responses' iterator failed: " + why);
        return null;
      };
      closing.invokeMember("then", closed, failed);
    }
  }
}
