package dev.bridge.script;

import com.google.protobuf.Descriptors.FileDescriptor;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link ScriptRuntime} runs its calls.
 *
 * @param callTimeout the longest a call may take, from the moment its handler starts on the JavaScript
 *     thread until it returns or its promise settles (the host's deadline ends it earlier when it is
 *     earlier). A handler still running synchronously then is interrupted (module state survives); the
 *     call fails with {@code DEADLINE_EXCEEDED} either way.
 * @param schema the {@code .proto} files the plugin loaded: an {@code Any} may hold any message type
 *     they or the files they import define, nested ones included, besides the well-known types. Empty
 *     (the default) narrows that to the file defining the request or response type and its imports.
 */
public record ScriptOptions(Duration callTimeout, List<FileDescriptor> schema) {
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);
  /** Longer limits are refused: they are typos, and the clock arithmetic stays far from overflow. */
  public static final Duration MAX_CALL_TIMEOUT = Duration.ofDays(365);

  public ScriptOptions {
    Objects.requireNonNull(callTimeout, "callTimeout");
    schema = List.copyOf(schema);
    if (callTimeout.isNegative() || callTimeout.isZero()) {
      throw new IllegalArgumentException("callTimeout must be positive, got " + describe(callTimeout));
    }
    if (callTimeout.compareTo(MAX_CALL_TIMEOUT) > 0) {
      throw new IllegalArgumentException("callTimeout must be at most 365 days, got " + describe(callTimeout));
    }
  }

  /** This call time limit and no schema. */
  public ScriptOptions(Duration callTimeout) {
    this(callTimeout, List.of());
  }

  /** A 30 s call time limit, no schema. */
  public static ScriptOptions defaults() {
    return new ScriptOptions(DEFAULT_CALL_TIMEOUT);
  }

  public ScriptOptions withCallTimeout(Duration value) {
    return new ScriptOptions(value, schema);
  }

  public ScriptOptions withSchema(List<FileDescriptor> files) {
    return new ScriptOptions(callTimeout, files);
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
