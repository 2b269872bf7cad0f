package dev.bridge.script;

import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.CallContext;
import dev.bridge.rpc.CallFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.graalvm.polyglot.Value;

/**
 * One call of a script handler, from the moment it is queued until it ends: answered, failed, cancelled
 * by the host, or past its time. Whatever ends it first decides its outcome; later outcomes (a promise
 * settling after the time limit, the interrupted handler's exception) are dropped.
 *
 * <p>Time limit: from the moment the handler starts on the JS thread, the call may take the runtime's
 * call timeout, or until the host's deadline when that is earlier. Then the call fails with
 * {@code DEADLINE_EXCEEDED}; if the handler is still running synchronously (an endless loop) the
 * context's current evaluation is interrupted, which leaves the context and module state usable. When
 * the call ends early, the handler's {@code context.signal} is aborted on the JS thread.
 */
final class ScriptCall {

  private final ScriptRuntime runtime;
  private final String displayName;
  private final CallContext context;
  private final CompletableFuture<DynamicMessage> result = new CompletableFuture<>();
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile ScheduledFuture<?> timer;
  /** Whether the handler started: a call dropped before that may safely run on another instance. */
  private volatile boolean started;
  /** JS thread only: the handler's context, whose signal an early end aborts; null until the handler started. */
  private Value abortable;

  ScriptCall(ScriptRuntime runtime, String displayName, CallContext context) {
    this.runtime = runtime;
    this.displayName = displayName;
    this.context = context;
    result.whenComplete((response, failure) -> {
      ScheduledFuture<?> t = timer;
      if (t != null) {
        t.cancel(false);
      }
    });
  }

  CompletableFuture<DynamicMessage> result() {
    return result;
  }

  String displayName() {
    return displayName;
  }

  boolean ended() {
    return ended.get() || result.isDone();
  }

  /** Answers the call, unless it already ended. */
  void complete(DynamicMessage response) {
    if (ended.compareAndSet(false, true)) {
      runtime.complete(result, response);
    }
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
    boolean hostFirst = context.deadline().isPresent() && context.deadline().get().isBefore(limitAt);
    Instant endAt = hostFirst ? context.deadline().get() : limitAt;
    Duration left = Duration.between(now, endAt);
    if (hostFirst && !left.isPositive()) {
      fail(new CallFailure("DEADLINE_EXCEEDED", displayName + ": the host's deadline passed before the handler started"));
      return false;
    }
    timer = ScriptRuntime.schedule(left, () -> expire(hostFirst, limit));
    if (result.isDone()) {
      timer.cancel(false);
    }
    return true;
  }

  /** Lets go of the handler's context object, once its instance was dropped (its context keeps the module state). */
  void forget() {
    abortable = null;
  }

  /** Whether the handler started (its JavaScript may have run). */
  boolean started() {
    return started;
  }

  /** On the JS thread: the handler's context object, whose signal an early end of the call aborts. */
  void handlerContext(Value handlerContext) {
    this.abortable = handlerContext;
  }

  /** The host cancelled the call or its deadline passed (any thread). */
  void cancel(CallFailure reason) {
    if (!fail(reason)) {
      return;
    }
    // Interrupting waits for the JS thread to stop, which must not hold up the thread that cancels.
    Thread.ofVirtual().name("bridge-call-cancel").start(() -> {
      runtime.interruptIfRunning(this);
      abortSignal(reason);
    });
  }

  /** The call's time is up (on a timer's virtual thread). */
  private void expire(boolean hostDeadline, Duration limit) {
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
    });
  }
}
