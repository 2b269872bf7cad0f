package dev.bridge.script;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The most live Java heap a plugin may hold, and the setting it came from, for the messages that name
 * it: {@code "maxHeap" / --max-heap} from the manifest or the command line, or the JVM's own maximum heap
 * when that is lower (the JVM fails first) or when maxHeap is {@code "jvm"}.
 *
 * @param bytes the limit in bytes
 * @param setting what set it, as a user reads it: {@code maxHeap 64MiB} or {@code the JVM's maximum heap (6GiB)}
 */
public record HeapLimit(long bytes, String setting) {
  public HeapLimit {
    if (bytes <= 0) {
      throw new IllegalArgumentException("a heap limit must be positive, got " + bytes);
    }
  }

  /** The limit set by maxHeap / --max-heap. */
  public static HeapLimit maxHeap(long bytes) {
    return new HeapLimit(bytes, "maxHeap (manifest field \"maxHeap\" or --max-heap) of " + format(bytes));
  }

  /** A size as people write it: {@code 64MiB}, {@code 1.5GiB}, {@code 4096 bytes}. */
  public static String format(long bytes) {
    String[] units = {"GiB", "MiB", "KiB"};
    long[] sizes = {1L << 30, 1L << 20, 1L << 10};
    for (int i = 0; i < units.length; i++) {
      if (bytes >= sizes[i]) {
        BigDecimal value = BigDecimal.valueOf(bytes).divide(BigDecimal.valueOf(sizes[i]), 1, RoundingMode.HALF_UP);
        return value.stripTrailingZeros().toPlainString() + units[i];
      }
    }
    return bytes + " bytes";
  }
}
