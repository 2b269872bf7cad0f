package dev.bridge.plugin;

import java.util.Map;

/**
 * The TCP ports the host lets this plugin listen on ({@code PLUGIN_MIN_PORT}..{@code PLUGIN_MAX_PORT}, inclusive).
 * Either variable unset counts as 0, as in go-plugin, so with neither set the range is just port 0: "let the system
 * pick".
 */
public record PortRange(int min, int max) {
  public static final String MIN_ENV = "PLUGIN_MIN_PORT";
  public static final String MAX_ENV = "PLUGIN_MAX_PORT";

  public PortRange {
    if (min < 0 || min > 65535 || max < 0 || max > 65535) {
      throw new IllegalArgumentException("ports must be within 0..65535, got " + min + ".." + max);
    }
    if (min > max) {
      throw new IllegalArgumentException("the minimum port " + min + " is greater than the maximum port " + max);
    }
  }

  /** Reads the range from the environment; throws {@link InvalidEnvironmentException} naming the variable at fault. */
  public static PortRange fromEnv(Map<String, String> env) {
    int min = port(env, MIN_ENV);
    int max = port(env, MAX_ENV);
    if (min > max) {
      throw new InvalidEnvironmentException(
          MIN_ENV, env.get(MIN_ENV), "greater than " + MAX_ENV + "=" + env.get(MAX_ENV) + "; no port to listen on");
    }
    return new PortRange(min, max);
  }

  private static int port(Map<String, String> env, String name) {
    String raw = env.get(name);
    if (raw == null || raw.isEmpty()) {
      return 0;
    }
    int value;
    try {
      value = Integer.parseInt(raw.strip());
    } catch (NumberFormatException e) {
      throw new InvalidEnvironmentException(name, raw, "not a port number", e);
    }
    if (value < 0 || value > 65535) {
      throw new InvalidEnvironmentException(name, raw, "not a port number (must be within 0..65535)");
    }
    return value;
  }
}
