package dev.bridge.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;

/**
 * Why a JVM of its own serves a plugin that asked for the warm runtime. Whether to go warm is decided before any
 * JVM starts, by {@code bin/bridgejs} and its client {@code bridgejs-warm} ({@code BRIDGE_WARM}, else the
 * manifest's {@code "warm"}); a JVM that serves such a plugin itself was started another way ({@code java -jar},
 * or a launcher without the client built), or was told to by {@code BRIDGE_WARM}. It serves all the same, and
 * says why once, so that a user who asked for warm mode is not left wondering.
 */
final class WarmFallback {
  /** What the launcher reads; the same precedence here (docs/warm.md). */
  static final String VARIABLE = "BRIDGE_WARM";

  private WarmFallback() {}

  /** A log record's level and message. */
  record Note(Level level, String message) {}

  /**
   * What to log when this process serves the plugin itself, or nothing when warm mode was not asked for.
   *
   * @param manifestWarm the manifest's {@code "warm"}, false when absent
   * @param manifest the manifest file, if any
   */
  static Optional<Note> of(boolean manifestWarm, Optional<Path> manifest, Map<String, String> env) {
    String value = env.getOrDefault(VARIABLE, "");
    String where = manifest.map(Path::toString).orElse("the manifest");
    if (value.equals("1")) {
      return Optional.of(new Note(Level.INFO, VARIABLE + "=1 asks for the warm runtime, but this plugin runs in a JVM "
          + startedDirectly() + "; serving it here"));
    }
    if (!manifestWarm) {
      return Optional.empty();
    }
    if (value.isEmpty()) {
      return Optional.of(new Note(Level.INFO, where + ": \"warm\": true asks for the warm runtime, but this plugin "
          + "runs in a JVM " + startedDirectly() + "; serving it here"));
    }
    // The user or host chose: worth a line only when asked for detail, unless the value looks like a mistake.
    Level level = value.equals("0") ? Level.FINE : Level.INFO;
    return Optional.of(new Note(level, VARIABLE + "=" + value + " in the environment overrides \"warm\": true of "
        + where + " (" + VARIABLE + "=1 serves warm; unset, the manifest decides); serving it here"));
  }

  private static String startedDirectly() {
    return "of its own, started directly (java -jar, or bin/bridgejs without bridge/target/bridgejs-warm, which "
        + "mvn package builds with cc)";
  }
}
