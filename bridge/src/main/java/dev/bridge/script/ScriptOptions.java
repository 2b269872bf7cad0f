package dev.bridge.script;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link ScriptRuntime} runs its calls.
 *
 * @param callTimeout the longest a call may take, from the moment its handler starts on the JavaScript
 *     thread until it returns or its promise settles (the host's deadline ends it earlier when it is
 *     earlier). A handler still running synchronously then is interrupted (module state survives); the
 *     call fails with {@code DEADLINE_EXCEEDED} either way.
 * @param loadTimeout the longest evaluating the module may take (its top-level code, including a
 *     top-level {@code await}); past it the load is interrupted and fails, so that a script stuck at
 *     start-up is reported instead of keeping the host waiting for a handshake
 */
public record ScriptOptions(Duration callTimeout, Duration loadTimeout) {
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);
  /** Well inside go-plugin's default one-minute start timeout, so the host sees our reason, not its own. */
  public static final Duration DEFAULT_LOAD_TIMEOUT = Duration.ofSeconds(30);
  /** Longer limits are refused: they are typos, and the clock arithmetic stays far from overflow. */
  public static final Duration MAX_TIME_LIMIT = Duration.ofDays(365);

  public ScriptOptions {
    checkLimit("callTimeout", callTimeout);
    checkLimit("loadTimeout", loadTimeout);
  }

  /** These call time limit and the default load time limit. */
  public ScriptOptions(Duration callTimeout) {
    this(callTimeout, DEFAULT_LOAD_TIMEOUT);
  }

  /** A 30 s call time limit and a 30 s load time limit. */
  public static ScriptOptions defaults() {
    return new ScriptOptions(DEFAULT_CALL_TIMEOUT, DEFAULT_LOAD_TIMEOUT);
  }

  public ScriptOptions withCallTimeout(Duration value) {
    return new ScriptOptions(value, loadTimeout);
  }

  public ScriptOptions withLoadTimeout(Duration value) {
    return new ScriptOptions(callTimeout, value);
  }

  private static void checkLimit(String name, Duration limit) {
    Objects.requireNonNull(limit, name);
    if (limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + describe(limit));
    }
    if (limit.compareTo(MAX_TIME_LIMIT) > 0) {
      throw new IllegalArgumentException(name + " must be at most 365 days, got " + describe(limit));
    }
  }

  /** A duration as people write it: {@code 30 s}, {@code 1.5 s}, {@code 500 ms}, {@code 0 s}. */
  public static String describe(Duration duration) {
    if (duration.isNegative()) {
      return "-" + describe(duration.negated());
    }
    if (duration.compareTo(Duration.ofSeconds(1)) < 0 && !duration.isZero()) {
      BigDecimal millis = BigDecimal.valueOf(duration.toNanos(), 6);
      return millis.stripTrailingZeros().toPlainString() + " ms";
    }
    BigDecimal seconds = BigDecimal.valueOf(duration.getSeconds()).add(BigDecimal.valueOf(duration.getNano(), 9));
    return seconds.stripTrailingZeros().toPlainString() + " s";
  }
}
