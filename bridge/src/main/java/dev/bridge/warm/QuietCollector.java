package dev.bridge.warm;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

/**
 * Samples the heap every second and runs a full collection when {@link QuietPolicy} says the runtime went quiet
 * after work. With the launcher's heap ratios for the runtime ({@code -XX:MaxHeapFreeRatio}, no shrinking in steps)
 * that collection also gives the heap's free part back to the system.
 */
final class QuietCollector {
  /** How long without a collection before the runtime counts as quiet. */
  static final Duration QUIET_FOR = Duration.ofSeconds(10);
  /** Heap growth that still counts as quiet over that time: an idle runtime's own threads allocate a little. */
  static final long QUIET_BYTES = 4L << 20;

  private final QuietPolicy policy = new QuietPolicy(QUIET_FOR, QUIET_BYTES);
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();

  void instanceEnded() {
    policy.instanceEnded();
  }

  /** Starts the sampling thread, a daemon that runs until interrupted. */
  Thread start() {
    return Thread.ofPlatform().daemon().name("warm-quiet-collector").start(this::run);
  }

  private void run() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(1000);
        if (policy.sample(System.nanoTime(), used(), collections())) {
          long before = used();
          long t0 = System.nanoTime();
          System.gc();
          long after = used();
          policy.collected(System.nanoTime(), after, collections());
          WarmRuntime.LOG.log(Level.INFO, "quiet after work: collected the heap", Map.of(
              "used_before_mb", before >> 20, "used_after_mb", after >> 20,
              "committed_mb", memory.getHeapMemoryUsage().getCommitted() >> 20,
              "ms", (System.nanoTime() - t0) / 1_000_000));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private long used() {
    return memory.getHeapMemoryUsage().getUsed();
  }

  private long collections() {
    long total = 0;
    for (GarbageCollectorMXBean collector : collectors) {
      total += Math.max(0, collector.getCollectionCount());
    }
    return total;
  }
}
