package dev.bridge.cli;

import dev.bridge.script.HeapLimit;
import java.util.Locale;
import java.util.OptionalLong;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The manifest's {@code "maxHeap"} and {@code --max-heap}: the most live Java heap the plugin may hold
 * before the script instance that grew it is dropped and loaded again, or {@code jvm} for no limit of the
 * bridge's own (the JVM's maximum heap, a quarter of the machine's memory by default, is then the only
 * one, and running out of it drops the instance all the same).
 *
 * @param bytes the limit; empty for {@code jvm}
 */
record MaxHeap(OptionalLong bytes) {
  /**
   * A plugin is a small helper process: 512MiB is some thirty times what the bridge itself holds serving a
   * small script (12-15MiB live), yet stops a script that keeps growing its module state within seconds, long before the JVM's own maximum (a quarter of the machine's memory: 6GiB on 24GiB) would,
   * after minutes of full collections.
   */
  static final MaxHeap DEFAULT = new MaxHeap(OptionalLong.of(512L << 20));
  static final MaxHeap JVM = new MaxHeap(OptionalLong.empty());
  /** Below this the bridge's own heap (engine, schema, gRPC) would already be over the limit. */
  static final long MINIMUM = 32L << 20;

  /** {@code jvm}, or a size such as {@code 256MiB} of at least {@link #MINIMUM}. */
  static MaxHeap parse(String text) {
    if (text.strip().toLowerCase(Locale.ROOT).equals("jvm")) {
      return JVM;
    }
    long bytes;
    try {
      bytes = Units.parseLongSize(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + ", or jvm for the JVM's own maximum heap");
    }
    if (bytes < MINIMUM) {
      throw new IllegalArgumentException("'" + text + "' is too small: at least 32MiB (the bridge itself holds about"
          + " 15MiB), or jvm for the JVM's own maximum heap");
    }
    return new MaxHeap(OptionalLong.of(bytes));
  }

  /** The limit to watch the heap at, if any. */
  HeapLimit limit() {
    return bytes.isPresent() ? HeapLimit.maxHeap(bytes.getAsLong()) : null;
  }

  /** As written in the manifest: {@code 512MiB} or {@code jvm}. */
  @Override
  public String toString() {
    return bytes.isPresent() ? HeapLimit.format(bytes.getAsLong()) : "jvm";
  }

  /** For picocli: the error then reads "Invalid value for option '--max-heap': ...". */
  static final class Converter implements ITypeConverter<MaxHeap> {
    @Override
    public MaxHeap convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
