package dev.bridge.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Milestones of start-up, counted from the process's start, logged as one debug line once serving: where
 * the time to the handshake goes is what start-up work is judged by.
 */
final class StartupTimings {
  private static final Logger LOG = Logger.getLogger("dev.bridge.cli");

  private final Instant processStart =
      ProcessHandle.current().info().startInstant().orElseGet(Instant::now);
  private final Map<String, Object> milestones = new LinkedHashMap<>();

  /** Records that {@code milestone} was reached now. */
  void reached(String milestone) {
    milestones.put(milestone + "_ms", Duration.between(processStart, Instant.now()).toMillis());
  }

  void log() {
    LOG.log(Level.FINE, "start-up milestones (ms since the process started)", Map.copyOf(milestones));
  }
}
