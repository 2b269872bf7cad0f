package dev.bridge.cache;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the bridge keeps what it caches between starts: {@code BRIDGE_CACHE_DIR}, else
 * {@code $XDG_CACHE_HOME/bridge}, else {@code ~/.cache/bridge}; nowhere with {@code BRIDGE_CACHE_DIR=off}.
 */
public final class CacheDirectory {
  static final String VARIABLE = "BRIDGE_CACHE_DIR";
  static final String OFF = "off";

  private CacheDirectory() {}

  public static Optional<Path> of(Map<String, String> env) {
    String configured = env.getOrDefault(VARIABLE, "");
    if (configured.equals(OFF)) {
      return Optional.empty();
    }
    if (!configured.isEmpty()) {
      return Optional.of(Path.of(configured).toAbsolutePath());
    }
    // The XDG base directory spec: a relative XDG_CACHE_HOME is invalid and ignored.
    String xdg = env.getOrDefault("XDG_CACHE_HOME", "");
    if (!xdg.isEmpty() && Path.of(xdg).isAbsolute()) {
      return Optional.of(Path.of(xdg, "bridge"));
    }
    String home = env.getOrDefault("HOME", "");
    return home.isEmpty() ? Optional.empty() : Optional.of(Path.of(home, ".cache", "bridge"));
  }

  /** The directory of parsed schemas. */
  static Optional<Path> schemas(Map<String, String> env) {
    return of(env).map(directory -> directory.resolve("schemas"));
  }
}
