package dev.bridge.script;

import com.google.protobuf.Descriptors.FileDescriptor;
import dev.bridge.rpc.Broker;
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
 * @param loadTimeout the longest evaluating the module may take (its top-level code); past it the
 *     load is interrupted and fails, so that a script stuck at start-up is reported instead of keeping
 *     the host waiting for a handshake
 * @param schema the {@code .proto} files the plugin loaded: an {@code Any} may hold any message type
 *     they or the files they import define, nested ones included, besides the well-known types. Empty
 *     (the default) narrows that to the file defining the request or response type and its imports.
 * @param args the arguments the host put after the script on the command line, which the script reads as
 *     {@code bridge.args}; empty by default (and for {@code bridgejs call})
 * @param broker go-plugin's broker, behind the script's {@code broker} global: the serving plugin's, or by default
 *     one whose every dial and serve fails ({@link #NO_HOST})
 * @param permissions what the script may reach beyond its files directory ({@code fetch}'s hosts, environment
 *     variables, directories); by default nothing
 * @param environment where {@code process.env} reads the granted variables: the process's environment, or in the warm
 *     runtime the client's
 */
public record ScriptOptions(Duration callTimeout, Duration loadTimeout, List<FileDescriptor> schema, List<String> args,
    Broker broker, Permissions permissions, java.util.Map<String, String> environment) {
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);
  /** Well inside go-plugin's default one-minute start timeout, so the host sees our reason, not its own. */
  public static final Duration DEFAULT_LOAD_TIMEOUT = Duration.ofSeconds(30);
  /** Longer limits are refused: they are typos, and the clock arithmetic stays far from overflow. */
  public static final Duration MAX_TIME_LIMIT = Duration.ofDays(365);

  /** Why {@code broker.dial}/{@code serve} fail when no host is there to broker connections. */
  public static final String NO_HOST = "the broker needs a go-plugin host, and this script runs without one";

  public ScriptOptions {
    checkLimit("callTimeout", callTimeout);
    checkLimit("loadTimeout", loadTimeout);
    schema = List.copyOf(schema);
    args = List.copyOf(args);
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(permissions, "permissions");
    environment = java.util.Map.copyOf(environment);
  }

  public ScriptOptions(Duration callTimeout, Duration loadTimeout, List<FileDescriptor> schema, List<String> args,
      Broker broker, Permissions permissions) {
    this(callTimeout, loadTimeout, schema, args, broker, permissions, System.getenv());
  }

  public ScriptOptions(Duration callTimeout, Duration loadTimeout, List<FileDescriptor> schema, List<String> args,
      Broker broker) {
    this(callTimeout, loadTimeout, schema, args, broker, Permissions.none());
  }

  public ScriptOptions(Duration callTimeout, Duration loadTimeout, List<FileDescriptor> schema, List<String> args) {
    this(callTimeout, loadTimeout, schema, args, Broker.unavailable(NO_HOST));
  }

  public ScriptOptions(Duration callTimeout, Duration loadTimeout, List<FileDescriptor> schema) {
    this(callTimeout, loadTimeout, schema, List.of());
  }

  /** These limits and no schema. */
  public ScriptOptions(Duration callTimeout, Duration loadTimeout) {
    this(callTimeout, loadTimeout, List.of());
  }

  /** This call time limit, the default load time limit and no schema. */
  public ScriptOptions(Duration callTimeout) {
    this(callTimeout, DEFAULT_LOAD_TIMEOUT);
  }

  /** A 30 s call time limit, a 30 s load time limit, no schema. */
  public static ScriptOptions defaults() {
    return new ScriptOptions(DEFAULT_CALL_TIMEOUT, DEFAULT_LOAD_TIMEOUT);
  }

  public ScriptOptions withCallTimeout(Duration value) {
    return new ScriptOptions(value, loadTimeout, schema, args, broker, permissions, environment);
  }

  public ScriptOptions withLoadTimeout(Duration value) {
    return new ScriptOptions(callTimeout, value, schema, args, broker, permissions, environment);
  }

  public ScriptOptions withSchema(List<FileDescriptor> files) {
    return new ScriptOptions(callTimeout, loadTimeout, files, args, broker, permissions, environment);
  }

  public ScriptOptions withArgs(List<String> values) {
    return new ScriptOptions(callTimeout, loadTimeout, schema, values, broker, permissions, environment);
  }

  /** The broker behind the script's {@code broker} global. */
  public ScriptOptions withBroker(Broker value) {
    return new ScriptOptions(callTimeout, loadTimeout, schema, args, value, permissions, environment);
  }

  /** What the script may reach beyond its files directory. */
  public ScriptOptions withPermissions(Permissions value) {
    return new ScriptOptions(callTimeout, loadTimeout, schema, args, broker, value, environment);
  }

  /** The environment {@code process.env} reads granted variables from (the process's by default). */
  public ScriptOptions withEnvironment(java.util.Map<String, String> value) {
    return new ScriptOptions(callTimeout, loadTimeout, schema, args, broker, permissions, value);
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
