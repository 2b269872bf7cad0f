package dev.bridge.script;

import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.CallContext;
import dev.bridge.rpc.CallFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.graalvm.polyglot.Value;

/**
 * One call of a script handler, from the moment it is queued until it ends: answered, failed, cancelled
 * by the host, or past its time. Whatever ends it first decides its outcome; later outcomes (a promise
 * settling after the time limit, the interrupted handler's exception) are dropped.
 *
 * <p>Time limit of a unary call: from the moment the handler starts on the JS thread, the call may take the
 * runtime's call timeout, or until the host's deadline when that is earlier. Then the call fails with
 * {@code DEADLINE_EXCEEDED}; if the handler is still running synchronously (an endless loop) the
 * context's current evaluation is interrupted, which leaves the context and module state usable.
 *
 * <p>A stream may last as long as the host keeps it (its deadline applies to the whole call): the call timeout
 * limits each of its turns instead, the JavaScript run from resuming the handler until it next yields, awaits
 * or returns ({@link #armTurn}); waiting between turns is not limited.
 *
 * <p>When the call ends early, the handler's {@code context.signal} is aborted on the JS thread, and then a
 * stream's own clean-up runs ({@link #onEarlyEnd}: its reads fail, its generator is closed).
 */
final class ScriptCall {
  /**
   * How long a stream's turn may go on taking the responses or requests that come in quick succession, which is
   * all it takes from the time limit of the step that follows them.
   */
  static final long BATCH_NANOS = 1_000_000;

  private final ScriptRuntime runtime;
  private final String displayName;
  private final CallContext context;
  private final boolean stream;
  private final CompletableFuture<DynamicMessage> result = new CompletableFuture<>();
  private final AtomicBoolean ended = new AtomicBoolean();
  /** Counts a stream's turns, so that a late watchdog does not take the next turn for its own. */
  private final AtomicLong turns = new AtomicLong();
  private volatile Deadlines.Limit timer;
  /** Whether the handler started: a call dropped before that may safely run on another instance. */
  private volatile boolean started;
  /** JS thread only: the handler's context, whose signal an early end aborts; null until the handler started. */
  private Value abortable;
  /** JS thread only: a stream's clean-up after an early end, run after the signal's abort. */
  private Consumer<CallFailure> earlyEnd;
  /** What ends with the call, however it ends (the fetches it started); run once, on the thread that ends it. */
  private final Set<Runnable> endListeners = ConcurrentHashMap.newKeySet();

  ScriptCall(ScriptRuntime runtime, String displayName, CallContext context, boolean stream) {
    this.runtime = runtime;
    this.displayName = displayName;
    this.context = context;
    this.stream = stream;
    result.whenComplete((response, failure) -> {
      Deadlines.Limit t = timer;
      if (t != null) {
        t.lift();
      }
      for (Runnable listener : endListeners) {
        if (endListeners.remove(listener)) {
          listener.run();
        }
      }
    });
  }

  /**
   * Runs {@code listener} once the call ended (at once if it has), on the thread that ended it: it must only hand
   * work on. Returns what forgets it, for what ends before the call does.
   */
  Runnable onEnd(Runnable listener) {
    endListeners.add(listener);
    if (result.isDone() && endListeners.remove(listener)) {
      listener.run();
    }
    return () -> endListeners.remove(listener);
  }

  /** How the call ended, for the errors of what it started: "the call X ended" and its status unless OK. */
  String howItEnded() {
    Throwable failure = result.isCompletedExceptionally() ? result.exceptionNow() : null;
    return "the call " + displayName + " that started it ended" + (failure instanceof CallFailure f
        ? " with " + f.code() + " (" + f.getMessage() + ")" : "");
  }

  /** The outcome: the response of a unary or client-streaming call (null for a stream of responses) or the failure. */
  CompletableFuture<DynamicMessage> result() {
    return result;
  }

  String displayName() {
    return displayName;
  }

  /** Whether the call may last as long as the host keeps it, its time limit applying per turn. */
  boolean stream() {
    return stream;
  }

  boolean ended() {
    return ended.get() || result.isDone();
  }

  /** Answers the call (a stream: ends it OK), unless it already ended; true if this is its outcome. */
  boolean complete(DynamicMessage response) {
    if (ended.compareAndSet(false, true)) {
      runtime.complete(result, response);
      return true;
    }
    return false;
  }

  /** Fails the call, unless it already ended; true if this failure is its outcome. */
  boolean fail(CallFailure failure) {
    if (ended.compareAndSet(false, true)) {
      runtime.fail(result, failure);
      return true;
    }
    return false;
  }

  /**
   * On the JS thread, as the handler is about to start: starts the clock. False (and the call failed)
   * when the host's deadline passed while the call was queued.
   */
  boolean start() {
    started = true;
    Duration limit = runtime.options().callTimeout();
    Instant now = Instant.now();
    Instant limitAt = now.plus(limit);
    boolean hostFirst = context.deadline().isPresent() && (stream || context.deadline().get().isBefore(limitAt));
    if (stream && !hostFirst) {
      return true;  // no deadline: the turns have their limits
    }
    Instant endAt = hostFirst ? context.deadline().get() : limitAt;
    Duration left = Duration.between(now, endAt);
    if (hostFirst && !left.isPositive()) {
      fail(new CallFailure("DEADLINE_EXCEEDED", displayName + ": the host's deadline passed before the handler started"));
      return false;
    }
    timer = ScriptRuntime.limit(left, () -> expire(hostFirst, limit));
    if (result.isDone()) {
      timer.lift();
    }
    return true;
  }

  /**
   * On the JS thread, as a turn of a stream starts: a watchdog that interrupts the turn if it runs longer than
   * the call timeout; the caller lifts it when the turn ends.
   */
  Deadlines.Limit armTurn() {
    long turn = turns.incrementAndGet();
    Duration limit = runtime.options().callTimeout();
    return ScriptRuntime.limit(limit, () -> turnTooLong(turn, limit));
  }

  private void turnTooLong(long turn, Duration limit) {
    if (turns.get() != turn || !runtime.isRunning(this)) {
      return;
    }
    CallFailure failure = new CallFailure("DEADLINE_EXCEEDED", displayName + ": handler ran longer than "
        + ScriptOptions.describe(limit) + " without yielding or awaiting and was interrupted");
    if (fail(failure)) {
      runtime.interruptIfRunning(this);
      abortSignal(failure);
    }
  }

  /** Lets go of the handler's JavaScript values, once its instance was dropped (its context keeps the module state). */
  void forget() {
    abortable = null;
    earlyEnd = null;
  }

  /** Whether the handler started (its JavaScript may have run). */
  boolean started() {
    return started;
  }

  /** On the JS thread: the handler's context object, whose signal an early end of the call aborts. */
  void handlerContext(Value handlerContext) {
    this.abortable = handlerContext;
  }

  /** On the JS thread: what a stream does, on the JS thread after the signal's abort, when the call ends early. */
  void onEarlyEnd(Consumer<CallFailure> cleanup) {
    this.earlyEnd = cleanup;
  }

  /** The host cancelled the call or its deadline passed (any thread). */
  void cancel(CallFailure reason) {
    if (stream) {
      endEarly(reason);
      return;
    }
    if (!fail(reason)) {
      return;
    }
    // Interrupting waits for the JS thread to stop, which must not hold up the thread that cancels.
    Thread.ofVirtual().name("bridge-call-cancel").start(() -> {
      runtime.interruptIfRunning(this);
      abortSignal(reason);
    });
  }

  /**
   * Ends a stream early. Its turn running now, if any, is left to finish (its own limit bounds it) so that the
   * generator's {@code finally} can run; the clean-up is queued before the outcome is told, so that a runtime
   * closing once its calls ended still runs it.
   */
  private void endEarly(CallFailure reason) {
    if (ended.compareAndSet(false, true)) {
      abortSignal(reason);
      runtime.fail(result, reason);
    }
  }

  /** The call's time is up (on a timer's virtual thread). */
  private void expire(boolean hostDeadline, Duration limit) {
    if (stream) {
      endEarly(new CallFailure("DEADLINE_EXCEEDED", displayName + ": the host's deadline passed"));
      return;
    }
    boolean running = runtime.isRunning(this);
    String message;
    if (hostDeadline) {
      message = displayName + ": the host's deadline passed" + (running ? "; the handler was interrupted" : "");
    } else if (running) {
      message = displayName + ": handler ran longer than " + ScriptOptions.describe(limit) + " and was interrupted";
    } else {
      message = displayName + ": handler did not finish within " + ScriptOptions.describe(limit)
          + " (its promise had not settled)";
    }
    CallFailure failure = new CallFailure("DEADLINE_EXCEEDED", message);
    if (!fail(failure)) {
      return;
    }
    if (running) {
      runtime.interruptIfRunning(this);
    }
    abortSignal(failure);
  }

  private void abortSignal(CallFailure reason) {
    runtime.runLater(displayName + ": the signal's abort listeners", () -> {
      if (abortable != null) {
        Value handlerContext = abortable;
        abortable = null;
        runtime.helpers().abortCallContext(handlerContext, reason.code(), reason.getMessage());
      }
      Consumer<CallFailure> cleanup = earlyEnd;
      earlyEnd = null;
      if (cleanup != null) {
        cleanup.accept(reason);
      }
    });
  }
}
