package dev.bridge.plugin;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Writes java.util.logging records to stderr as hclog JSON lines, the format go-plugin hosts parse and re-log under
 * the plugin's name with level and key/value pairs intact (anything else they only show as debug text).
 *
 * <p>Extra key/value pairs: when a record's first parameter is a {@code Map<String, ?>}, its entries become keys of
 * the line, so code using plain JUL or System.Logger can log {@code log(INFO, "msg", Map.of("key", value))}.
 * Whole numbers are written as JSON strings, so that the host shows {@code max_message_size=4194304}.
 */
public final class HclogHandler extends Handler {
  // What go-plugin's host parses (log_entry.go); Go requires exactly six fraction digits for this layout.
  static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX");
  static final String LEVEL_KEY = "@level";
  static final String MESSAGE_KEY = "@message";
  static final String MODULE_KEY = "@module";
  static final String TIMESTAMP_KEY = "@timestamp";
  static final String ERROR_KEY = "error";
  static final String STACK_KEY = "stacktrace";
  /** Loggers under this name are bridge's own; see {@link #install}. */
  public static final String BRIDGE_LOGGERS = "dev.bridge";

  // JUL holds loggers weakly; a logger whose level we set must stay referenced or the setting is lost.
  private static final Logger BRIDGE_LOGGER = Logger.getLogger(BRIDGE_LOGGERS);
  private static final SimpleFormatter MESSAGE_FORMATTER = new SimpleFormatter();

  private final OutputStream out;
  private final ZoneId zone;

  /** Timestamps in the system's time zone, as hclog writes them. */
  public HclogHandler(OutputStream out, HclogLevel level) {
    this(out, level, ZoneId.systemDefault());
  }

  /** Timestamps with {@code zone}'s offset. */
  public HclogHandler(OutputStream out, HclogLevel level, ZoneId zone) {
    this.out = Objects.requireNonNull(out, "out");
    this.zone = Objects.requireNonNull(zone, "zone");
    setLevel(level.julThreshold());
  }

  /**
   * Makes a handler writing to {@code err} the only handler of the root logger, so that every JUL and System.Logger
   * user, grpc-java included, logs through it.
   *
   * <p>At debug only bridge's own loggers ({@code dev.bridge.*}) go below info; everything else (grpc-java's frame
   * dumps, Netty internals, the JDK's certificate and exit events) stays at info, because it would bury bridge's lines
   * by the hundred in the host's log. Trace shows everything.
   */
  public static HclogHandler install(OutputStream err, HclogLevel level) {
    HclogHandler handler = new HclogHandler(err, level);
    makeRootHandler(handler, level);
    return handler;
  }

  /**
   * Makes {@code handler} the root logger's only handler, with the levels {@link #install} sets: below
   * info, only bridge's own loggers, except at trace. For other output formats of the same records.
   */
  public static void makeRootHandler(Handler handler, HclogLevel level) {
    Logger root = LogManager.getLogManager().getLogger("");
    for (Handler existing : root.getHandlers()) {
      root.removeHandler(existing);
    }
    root.addHandler(handler);
    boolean everything = level == HclogLevel.TRACE || level.compareTo(HclogLevel.INFO) >= 0;
    root.setLevel(everything ? level.julThreshold() : HclogLevel.INFO.julThreshold());
    BRIDGE_LOGGER.setLevel(level.julThreshold());
  }

  @Override
  public void publish(LogRecord record) {
    if (record == null || !isLoggable(record)) {
      return;
    }
    byte[] line;
    try {
      line = (JSON.std.asString(toEntry(record)) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      reportError("could not encode a log record as JSON", e, ErrorManager.FORMAT_FAILURE);
      return;
    }
    // One write per line, under a lock, so concurrent records never interleave mid-line.
    synchronized (this) {
      try {
        out.write(line);
        out.flush();
      } catch (IOException e) {
        reportError("could not write a log line", e, ErrorManager.WRITE_FAILURE);
      }
    }
  }

  @Override
  public void flush() {
    synchronized (this) {
      try {
        out.flush();
      } catch (IOException e) {
        reportError("could not flush the log", e, ErrorManager.FLUSH_FAILURE);
      }
    }
  }

  /** Flushes but leaves the stream open: it is the process's stderr, which others still write to. */
  @Override
  public void close() {
    flush();
  }

  /** The JSON object for a record, keys in hclog's order. */
  Map<String, Object> toEntry(LogRecord record) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put(LEVEL_KEY, HclogLevel.of(record.getLevel()).label());
    entry.put(MESSAGE_KEY, message(record));
    String module = record.getLoggerName();
    if (module != null && !module.isEmpty()) {
      entry.put(MODULE_KEY, module);
    }
    entry.put(TIMESTAMP_KEY, TIMESTAMP.format(ZonedDateTime.ofInstant(record.getInstant(), zone)));
    Object[] parameters = record.getParameters();
    if (parameters != null && parameters.length > 0 && parameters[0] instanceof Map<?, ?> extras) {
      for (Map.Entry<?, ?> extra : extras.entrySet()) {
        String key = String.valueOf(extra.getKey());
        // The reserved keys carry the line's meaning for the host; a caller's pair must not overwrite them.
        entry.putIfAbsent(key, jsonValue(extra.getValue(), 0));
      }
    }
    Throwable thrown = record.getThrown();
    if (thrown != null) {
      entry.putIfAbsent(ERROR_KEY, thrown.toString());
      entry.putIfAbsent(STACK_KEY, stackTrace(thrown));
    }
    return entry;
  }

  private static String message(LogRecord record) {
    String raw = record.getMessage();
    if (raw == null) {
      return "";
    }
    // Applies the resource bundle and {0}-style parameters when the record uses them; a Map of pairs is left alone.
    return MESSAGE_FORMATTER.formatMessage(record);
  }

  // Only plain JSON types reach jackson-jr: it would otherwise introspect arbitrary objects as beans.
  private static Object jsonValue(Object value, int depth) {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Double d && (d.isNaN() || d.isInfinite())
        || value instanceof Float f && (f.isNaN() || f.isInfinite())) {
      return value.toString();
    }
    if (isWholeNumber(value)) {
      // go-plugin's host decodes a JSON number into a float64 and hclog prints that with %v: 4194304 would show as
      // 4.194304e+06, and a long past 2^53 would lose digits. A string prints as the digits in every host.
      return value.toString();
    }
    if (value instanceof Number) {
      return value;
    }
    if (depth < 8 && value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), jsonValue(v, depth + 1)));
      return copy;
    }
    if (depth < 8 && value instanceof Collection<?> collection) {
      List<Object> copy = new ArrayList<>(collection.size());
      collection.forEach(v -> copy.add(jsonValue(v, depth + 1)));
      return copy;
    }
    if (value instanceof Throwable t) {
      return t.toString();
    }
    return String.valueOf(value);
  }

  private static boolean isWholeNumber(Object value) {
    return value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
        || value instanceof BigInteger || value instanceof AtomicInteger || value instanceof AtomicLong;
  }

  private static String stackTrace(Throwable thrown) {
    StringWriter text = new StringWriter();
    thrown.printStackTrace(new PrintWriter(text));
    return text.toString();
  }
}
