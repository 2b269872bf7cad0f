package dev.bridge.script;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * Evaluates a script's module under a time limit. Without one, top-level code stuck in a loop would
 * keep the plugin from ever printing its handshake line, and the host would wait for its own start
 * timeout and then report only that the plugin did not start.
 */
final class LoadWatchdog {
  private static final Duration INTERRUPT_WAIT = Duration.ofSeconds(5);

  private LoadWatchdog() {}

  /**
   * Evaluates {@code source} in {@code context} on the calling (JS) thread, interrupting it after
   * {@code limit}; the timer runs through {@code scheduler}.
   *
   * @throws LoadTimeoutException when the limit interrupted the evaluation
   */
  static Value evaluate(Context context, Source source, Duration limit,
      BiFunction<Duration, Runnable, ScheduledFuture<?>> scheduler) throws LoadTimeoutException {
    State state = new State();
    ScheduledFuture<?> timer = scheduler.apply(limit, () -> {
      if (state.expire()) {
        try {
          context.interrupt(INTERRUPT_WAIT);
        } catch (TimeoutException | PolyglotException | IllegalStateException e) {
          // Still busy in host code, or already closed: the evaluation ends by itself or is failed anyway.
        }
      }
    });
    try {
      return context.eval(source);
    } catch (PolyglotException e) {
      if (e.isInterrupted() && state.expired()) {
        throw new LoadTimeoutException(limit, e);
      }
      throw e;
    } finally {
      state.finish();
      timer.cancel(false);
    }
  }

  /** Thrown on the JS thread when loading took longer than its limit. */
  static final class LoadTimeoutException extends RuntimeException {
    final Duration limit;

    LoadTimeoutException(Duration limit, Throwable cause) {
      super("loading did not finish within " + ScriptOptions.describe(limit), cause);
      this.limit = limit;
    }
  }

  /** Whether the evaluation finished or the limit passed first; only one of them wins. */
  private static final class State {
    private boolean finished;
    private boolean expired;

    synchronized boolean expire() {
      if (finished) {
        return false;
      }
      expired = true;
      return true;
    }

    synchronized boolean expired() {
      return expired;
    }

    synchronized void finish() {
      finished = true;
    }
  }
}
