package dev.bridge.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations and sizes as people write them on a command line or in the manifest: durations in Go's
 * notation ({@code 30s}, {@code 500ms}, {@code 1.5s}, {@code 2m}, {@code 1m30s}, {@code 1h}), sizes in
 * bytes or binary units ({@code 1048576}, {@code 512KiB}, {@code 16MiB}, {@code 1GiB}). Errors say what
 * was wrong and what is expected; the caller adds where the text came from.
 */
final class Units {
  private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
  private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
      "ns", 1L, "us", 1_000L, "µs", 1_000L, "ms", 1_000_000L, "s", 1_000_000_000L,
      "m", 60_000_000_000L, "h", 3_600_000_000_000L);
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kib|mib|gib)?", Pattern.CASE_INSENSITIVE);
  private static final Map<String, Long> BYTES_PER_UNIT = Map.of(
      "b", 1L, "kib", 1L << 10, "mib", 1L << 20, "gib", 1L << 30);

  private Units() {}

  /** A positive duration such as {@code 30s} or {@code 1m30s}. */
  static Duration parseDuration(String text) {
    String s = text.strip();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("expected a duration such as 30s or 500ms, got an empty value");
    }
    if (s.matches("\\d+(\\.\\d*)?")) {
      throw new IllegalArgumentException("'" + text + "' needs a unit: for example " + s + "s or " + s + "ms");
    }
    Matcher m = DURATION_PART.matcher(s);
    BigDecimal nanos = BigDecimal.ZERO;
    int at = 0;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at) {
        throw new IllegalArgumentException("'" + text + "' is not a duration: expected a number and a unit "
            + "(ms, s, m, h; e.g. 30s, 500ms, 1m30s)");
      }
      nanos = nanos.add(new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1))
          .multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get(m.group(2)))));
      at = m.end();
    }
    if (nanos.signum() == 0) {
      throw new IllegalArgumentException("'" + text + "' is zero: give a positive duration");
    }
    if (nanos.compareTo(BigDecimal.valueOf(Duration.ofDays(365).toNanos())) > 0) {
      throw new IllegalArgumentException("'" + text + "' is too long: at most 365 days");
    }
    return Duration.ofNanos(nanos.setScale(0, RoundingMode.HALF_UP).longValueExact());
  }

  /** A positive size in bytes below 2 GiB, such as {@code 16MiB}. */
  static int parseSize(String text) {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a size: expected bytes or a number with "
          + "KiB, MiB or GiB (e.g. 4194304, 512KiB, 16MiB)");
    }
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
    BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(BYTES_PER_UNIT.get(unit)));
    if (bytes.signum() == 0) {
      throw new IllegalArgumentException("'" + text + "' is zero: give a positive size");
    }
    if (bytes.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException("'" + text + "' is too large: at most 2147483647 bytes (just under 2GiB)");
    }
    return bytes.intValueExact();
  }

  /** A positive size in bytes, which may be 2GiB or more (a heap), such as {@code 4GiB}. */
  static long parseLongSize(String text) {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a size: expected bytes or a number with "
          + "KiB, MiB or GiB (e.g. 268435456, 256MiB, 2GiB)");
    }
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
    BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(BYTES_PER_UNIT.get(unit)));
    if (bytes.signum() == 0) {
      throw new IllegalArgumentException("'" + text + "' is zero: give a positive size");
    }
    if (bytes.compareTo(BigDecimal.valueOf(1L << 50)) > 0) {
      throw new IllegalArgumentException("'" + text + "' is too large: at most 1048576GiB");
    }
    return bytes.longValueExact();
  }

  /** For picocli: the error then reads "Invalid value for option '--call-timeout': ...". */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return parseDuration(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class SizeConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        return parseSize(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
