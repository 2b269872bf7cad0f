package dev.bridge.plugin;

import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;

/** hclog's levels, as written in {@code @level} and accepted in {@code BRIDGE_LOG_LEVEL}. */
public enum HclogLevel {
  TRACE("trace", Level.FINEST),
  DEBUG("debug", Level.FINE),
  INFO("info", Level.INFO),
  WARN("warn", Level.WARNING),
  ERROR("error", Level.SEVERE);

  public static final String ENV = "BRIDGE_LOG_LEVEL";

  private final String label;
  private final Level threshold;

  HclogLevel(String label, Level threshold) {
    this.label = label;
    this.threshold = threshold;
  }

  /** The name hclog uses, e.g. {@code warn}. */
  public String label() {
    return label;
  }

  /** The lowest JUL level logged at this hclog level. */
  public Level julThreshold() {
    return threshold;
  }

  /**
   * The hclog level a JUL record is shown at. JUL has more levels than hclog: System.Logger's TRACE arrives as FINER
   * and DEBUG as FINE, and CONFIG, which hclog has no word for, counts as debug detail.
   */
  public static HclogLevel of(Level level) {
    int value = level.intValue();
    if (value >= Level.SEVERE.intValue()) {
      return ERROR;
    }
    if (value >= Level.WARNING.intValue()) {
      return WARN;
    }
    if (value >= Level.INFO.intValue()) {
      return INFO;
    }
    if (value >= Level.FINE.intValue()) {
      return DEBUG;
    }
    return TRACE;
  }

  /** Reads {@code BRIDGE_LOG_LEVEL}: info when unset or empty, else one of trace/debug/info/warn/error. */
  public static HclogLevel fromEnv(Map<String, String> env) {
    String raw = env.get(ENV);
    if (raw == null || raw.isBlank()) {
      return INFO;
    }
    String wanted = raw.strip().toLowerCase(Locale.ROOT);
    for (HclogLevel level : values()) {
      if (level.label.equals(wanted)) {
        return level;
      }
    }
    // hclog itself also accepts "warning"; being as lenient costs nothing.
    if (wanted.equals("warning")) {
      return WARN;
    }
    throw new InvalidEnvironmentException(ENV, raw, "not a log level; use trace, debug, info, warn or error");
  }
}
