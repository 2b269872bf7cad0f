package dev.bridge.cli;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Milestones of start-up, counted from the JVM's start, logged as one debug line once serving: where the
 * time to the handshake goes is what start-up work is judged by.
 */
final class StartupTimings {
  private static final Logger LOG = Logger.getLogger("dev.bridge.cli");

  // Milestones are taken on the monotonic clock and placed against the wall clock only when logged.
  private final long createdNanos = System.nanoTime();
  private final long createdMillis = System.currentTimeMillis();
  private final Map<String, Long> milestoneNanos = new LinkedHashMap<>();

  /** Records that {@code milestone} was reached now. */
  synchronized void reached(String milestone) {
    milestoneNanos.put(milestone, System.nanoTime());
  }

  /**
   * @param sinceJvmStart counted from the JVM's start (a plugin of its own); false: from this object's creation
   *     (a launch served by the warm runtime, whose JVM started long before)
   */
  synchronized void log(boolean sinceJvmStart) {
    if (!LOG.isLoggable(Level.FINE)) {
      return;
    }
    // The JVM's own record of its start is exact; the process's start time from /proc is rounded to the
    // second of the boot time. The management module is only loaded here, at debug level.
    long offsetMillis = sinceJvmStart ? createdMillis - ManagementFactory.getRuntimeMXBean().getStartTime() : 0;
    Map<String, Object> fields = new LinkedHashMap<>();
    milestoneNanos.forEach((name, nanos) ->
        fields.put(name + "_ms", offsetMillis + TimeUnit.NANOSECONDS.toMillis(nanos - createdNanos)));
    LOG.log(Level.FINE, sinceJvmStart ? "start-up milestones (ms since the JVM started)"
        : "start-up milestones (ms since the warm runtime took the launch)", fields);
  }
}
