package dev.bridge.script;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * The host side of the timer globals ({@link TimersPrelude}): for each armed timer id, when it is due.
 * Callbacks and their arguments stay in JavaScript; when a timer is due, the prelude's {@code fire(id)}
 * runs on the JS thread as a task of its own, watched like any other ({@link Runner}). An id is
 * forgotten as soon as it fires or is cleared; {@link #close()} cancels every pending one.
 */
final class TimerBindings {
  private static final Logger LOG = Logger.getLogger("dev.bridge.script");

  /**
   * Runs a task on the JS thread under the runaway watchdog, on behalf of the call that set the timer
   * ({@link ScriptRuntime#runLater(String, ScriptCall, Runnable)}).
   */
  @FunctionalInterface
  interface Runner {
    void runLater(String what, ScriptCall owner, Runnable body);
  }

  /** One arming of an id: a refreshed timer gets a new one, so that a stale firing already queued is dropped. */
  private static final class Arming {
    final String label;
    /** The call that set the timer, or null: its callback runs as that call's JavaScript while the call lasts. */
    final ScriptCall owner;
    volatile ScheduledFuture<?> due;

    Arming(String label, ScriptCall owner) {
      this.label = label;
      this.owner = owner;
    }

    void cancel() {
      ScheduledFuture<?> f = due;
      if (f != null) {
        f.cancel(false);
      }
    }
  }

  private final ScheduledExecutorService scheduler;
  private final Map<Long, Arming> armed = new ConcurrentHashMap<>();
  /** Firings that came due before {@link #runWith}; guards {@link #runner} changing from null. */
  private final List<Consumer<Runner>> waiting = new ArrayList<>();
  private volatile boolean closed;
  private volatile Runner runner;
  /** The call whose JavaScript runs now ({@link ScriptRuntime#currentCall()}); JS thread only. */
  private Supplier<ScriptCall> currentCall = () -> null;
  /** The prelude's {@code fire(id)}; JS thread only. */
  private Value fire;

  /**
   * @param scheduler what counts the delays; its tasks only queue work, so a single shared thread serves
   *     every runtime, and due times that tie keep the order the timers were set in
   */
  TimerBindings(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  /** The host functions handed to the prelude. */
  ProxyObject proxy() {
    return ProxyObject.fromMap(Map.of(
        "start", call(args -> start(args[0].asLong(), args[1].asLong(), args[2].asString())),
        "immediate", call(args -> immediate(args[0].asLong(), args[1].asString())),
        "cancel", call(args -> cancel(args[0].asLong())),
        "warn", call(args -> LOG.warning(args[0].asString()))));
  }

  private static ProxyExecutable call(Consumer<Value[]> body) {
    return args -> {
      body.accept(args);
      return null;
    };
  }

  /** The prelude's {@code fire(id)}, which runs the callback of a timer still armed in JavaScript. */
  void attach(Value fireFunction) {
    this.fire = fireFunction;
  }

  /**
   * From now on due timers run through this. Those that came due before (while the module was being
   * evaluated) are queued now, in the order they came due. On the JS thread.
   */
  void runWith(Runner runner, Supplier<ScriptCall> currentCall) {
    this.currentCall = currentCall;
    synchronized (waiting) {
      for (Consumer<Runner> queue : waiting) {
        queue.accept(runner);
      }
      waiting.clear();
      this.runner = runner;  // last: a timer seeing it must come after those queued above
    }
  }

  /** Ids armed and not yet fired or cleared. */
  int pending() {
    return armed.size();
  }

  /** Cancels every pending timer; later ones are ignored, and firings already queued are dropped. */
  void close() {
    closed = true;
    for (Arming arming : armed.values()) {
      arming.cancel();
    }
    armed.clear();
    synchronized (waiting) {
      waiting.clear();
    }
  }

  private void start(long id, long delayMillis, String label) {
    Arming arming = arm(id, label);
    if (arming == null) {
      return;
    }
    arming.due = scheduler.schedule(() -> due(id, arming), delayMillis, TimeUnit.MILLISECONDS);
    if (closed) {  // close() ran meanwhile and may not have seen this future
      arming.cancel();
      armed.remove(id, arming);
    }
  }

  private void immediate(long id, String label) {
    Arming arming = arm(id, label);
    if (arming != null) {
      due(id, arming);
    }
  }

  private Arming arm(long id, String label) {
    if (closed) {
      return null;
    }
    Arming arming = new Arming(label, currentCall.get());
    Arming previous = armed.put(id, arming);
    if (previous != null) {
      previous.cancel();
    }
    if (closed) {  // close() cleared the map before the put
      armed.remove(id, arming);
      return null;
    }
    return arming;
  }

  private void cancel(long id) {
    Arming arming = armed.remove(id);
    if (arming != null) {
      arming.cancel();
    }
  }

  /** On the scheduler's thread (or the JS thread, for immediates): queue the firing. */
  private void due(long id, Arming arming) {
    ScriptCall owner = arming.owner == null || arming.owner.ended() ? null : arming.owner;
    Consumer<Runner> queue = r -> r.runLater(arming.label, owner, () -> fireIfArmed(id, arming));
    Runner r = runner;
    if (r == null) {
      synchronized (waiting) {
        r = runner;
        if (r == null) {
          if (!closed) {
            waiting.add(queue);
          }
          return;
        }
      }
    }
    queue.accept(r);
  }

  /** On the JS thread. */
  private void fireIfArmed(long id, Arming arming) {
    if (!closed && armed.remove(id, arming)) {
      fire.execute(id);
    }
  }
}
