package dev.bridge.cli;

import dev.bridge.script.HeapLimit;
import dev.bridge.script.HeapWatch;
import java.util.logging.Logger;

/** Applies maxHeap to the process, for serving and for {@code bridgejs call} alike. */
final class HeapSettings {
  private static final Logger LOG = Logger.getLogger("dev.bridge.cli");

  private HeapSettings() {}

  /**
   * Makes an uncaught {@link OutOfMemoryError} end the process with one error line, and watches the heap at
   * {@code maxHeap} unless it is {@code jvm}.
   *
   * @return the watch, to close when done; null for {@code jvm}
   */
  static HeapWatch apply(MaxHeap maxHeap) {
    HeapWatch.exitOnUncaughtOutOfMemory();
    HeapLimit wanted = maxHeap.limit();
    if (wanted == null) {
      LOG.fine(() -> "maxHeap is jvm: the heap is limited by the JVM's maximum heap only ("
          + HeapLimit.format(Runtime.getRuntime().maxMemory()) + ")");
      return null;
    }
    HeapWatch watch = HeapWatch.start(wanted);
    if (!watch.heapLimit().equals(wanted)) {
      String message = "maxHeap " + maxHeap + " does not fit in this JVM's maximum heap of "
          + HeapLimit.format(Runtime.getRuntime().maxMemory()) + ": script instances are dropped at "
          + HeapLimit.format(watch.heapLimit().bytes()) + " of live heap instead (give the JVM more with "
          + "BRIDGE_JAVA_OPTS=-Xmx...)";
      if (maxHeap.equals(MaxHeap.DEFAULT)) {
        LOG.fine(message);
      } else {
        LOG.warning(message);
      }
    }
    return watch;
  }
}
