package dev.bridge.script;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.graalvm.polyglot.Value;

/**
 * The conversions of {@code Timestamp}, {@code Duration} and {@code FieldMask} that are more than a
 * field-by-field mapping, with the ranges of the protobuf spec (the ones proto3 JSON enforces).
 */
final class WellKnown {
  /** {@code 0001-01-01T00:00:00Z}. */
  static final long TIMESTAMP_MIN_SECONDS = -62_135_596_800L;
  /** {@code 9999-12-31T23:59:59Z}. */
  static final long TIMESTAMP_MAX_SECONDS = 253_402_300_799L;
  /** 10000 years. */
  static final long DURATION_MAX_SECONDS = 315_576_000_000L;
  /** Field number of {@code google.protobuf.Value.null_value}. */
  static final int VALUE_NULL = 1;

  private static final int NANOS_PER_SECOND = 1_000_000_000;
  private static final int NANOS_PER_MILLI = 1_000_000;
  private static final DateTimeFormatter RFC_3339 = new DateTimeFormatterBuilder()
      .parseCaseInsensitive()
      .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
      .appendOffsetId()
      .toFormatter(Locale.ROOT);
  private static final Pattern DURATION = Pattern.compile("(-)?(\\d{1,12})(?:\\.(\\d{1,9}))?s");

  private WellKnown() {}

  /** Seconds and nanoseconds, the two fields of {@code Timestamp} and {@code Duration}. */
  record SecondsNanos(long seconds, int nanos) {
    static SecondsNanos of(Message message) {
      Descriptor type = message.getDescriptorForType();
      return new SecondsNanos((Long) message.getField(type.findFieldByNumber(1)),
          (Integer) message.getField(type.findFieldByNumber(2)));
    }

    DynamicMessage toMessage(Descriptor type) {
      return DynamicMessage.newBuilder(type)
          .setField(type.findFieldByNumber(1), seconds)
          .setField(type.findFieldByNumber(2), nanos)
          .build();
    }

    boolean validTimestamp() {
      return seconds >= TIMESTAMP_MIN_SECONDS && seconds <= TIMESTAMP_MAX_SECONDS
          && nanos >= 0 && nanos < NANOS_PER_SECOND;
    }

    boolean validDuration() {
      // no Math.abs: it leaves Long.MIN_VALUE and Integer.MIN_VALUE negative
      return seconds >= -DURATION_MAX_SECONDS && seconds <= DURATION_MAX_SECONDS
          && nanos > -NANOS_PER_SECOND && nanos < NANOS_PER_SECOND
          && (seconds == 0 || nanos == 0 || (seconds < 0) == (nanos < 0));
    }
  }

  /** A Date (keeping sub-millisecond nanos while unchanged); out of range, the raw {@code {seconds, nanos}}. */
  static Value timestampToJs(JsHelpers js, Message timestamp) {
    SecondsNanos t = SecondsNanos.of(timestamp);
    if (!t.validTimestamp()) {
      return raw(js, t);
    }
    return js.newDate(t.seconds() * 1000 + t.nanos() / NANOS_PER_MILLI, t.nanos() % NANOS_PER_MILLI);
  }

  /** Like proto3 JSON: {@code "1.500s"}, {@code "-0.000000001s"}, {@code "3600s"}; out of range, the raw object. */
  static Object durationToJs(JsHelpers js, Message duration) {
    SecondsNanos d = SecondsNanos.of(duration);
    if (!d.validDuration()) {
      return raw(js, d);
    }
    boolean negative = d.seconds() < 0 || d.nanos() < 0;
    long seconds = Math.abs(d.seconds());
    int nanos = Math.abs(d.nanos());
    String fraction;
    if (nanos == 0) {
      fraction = "";
    } else if (nanos % NANOS_PER_MILLI == 0) {
      fraction = String.format(Locale.ROOT, ".%03d", nanos / NANOS_PER_MILLI);
    } else if (nanos % 1000 == 0) {
      fraction = String.format(Locale.ROOT, ".%06d", nanos / 1000);
    } else {
      fraction = String.format(Locale.ROOT, ".%09d", nanos);
    }
    return (negative ? "-" : "") + seconds + fraction + "s";
  }

  private static Value raw(JsHelpers js, SecondsNanos value) {
    Value object = js.newObject();
    object.putMember("seconds", js.bigInt(Long.toString(value.seconds())));
    object.putMember("nanos", value.nanos());
    return object;
  }

  /** From {@code [epochMillis, subMillisNanos]} as given by {@link JsHelpers#dateParts}. */
  static SecondsNanos timestampFromDate(Value parts, String path) throws MappingException {
    double millis = parts.getArrayElement(0).asDouble();
    if (Double.isNaN(millis)) {
      throw new MappingException(path, "expected a valid Date for google.protobuf.Timestamp, got an Invalid Date");
    }
    long ms = (long) millis;
    int subMillis = parts.getArrayElement(1).asInt();
    SecondsNanos t = new SecondsNanos(Math.floorDiv(ms, 1000L),
        (int) Math.floorMod(ms, 1000L) * NANOS_PER_MILLI + subMillis);
    return checkTimestamp(t, path);
  }

  /** RFC 3339, any offset, 0–9 fraction digits: {@code 2024-05-01T12:00:00.123456789Z}. */
  static SecondsNanos timestampFromString(String text, String path) throws MappingException {
    OffsetDateTime parsed;
    try {
      parsed = OffsetDateTime.parse(text.strip(), RFC_3339);
    } catch (DateTimeParseException e) {
      throw new MappingException(path, "\"" + text + "\" is not an RFC 3339 timestamp (like 2024-05-01T12:00:00.5Z)");
    }
    return checkTimestamp(new SecondsNanos(parsed.toEpochSecond(), parsed.getNano()), path);
  }

  private static SecondsNanos checkTimestamp(SecondsNanos t, String path) throws MappingException {
    if (!t.validTimestamp()) {
      throw new MappingException(path, "timestamp out of range (0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z)");
    }
    return t;
  }

  /** {@code "1.5s"}, {@code "-0.001s"}, {@code "90s"}: seconds with up to 9 fraction digits. */
  static SecondsNanos durationFromString(String text, String path) throws MappingException {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches()) {
      throw new MappingException(path, "\"" + text + "\" is not a duration (like \"1.5s\" or \"-0.000001s\")");
    }
    long seconds = Long.parseLong(m.group(2));
    String fraction = m.group(3) == null ? "" : m.group(3);
    int nanos = fraction.isEmpty() ? 0 : Integer.parseInt((fraction + "00000000").substring(0, 9));
    if (m.group(1) != null) {
      seconds = -seconds;
      nanos = -nanos;
    }
    return checkDuration(new SecondsNanos(seconds, nanos), path);
  }

  /** A number of milliseconds (fractions down to the nanosecond; finer is rounded to the nearest). */
  static SecondsNanos durationFromMillis(double millis, String path) throws MappingException {
    if (!Double.isFinite(millis)) {
      throw new MappingException(path, "expected a finite number of milliseconds for google.protobuf.Duration, got " + millis);
    }
    if (Math.abs(millis) > DURATION_MAX_SECONDS * 1000.0 + 1000) {
      throw durationRange(path);
    }
    BigInteger nanos = new BigDecimal(millis).movePointRight(6).setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
    BigInteger[] split = nanos.divideAndRemainder(BigInteger.valueOf(NANOS_PER_SECOND));
    return checkDuration(new SecondsNanos(split[0].longValueExact(), split[1].intValueExact()), path);
  }

  private static SecondsNanos checkDuration(SecondsNanos d, String path) throws MappingException {
    if (!d.validDuration()) {
      throw durationRange(path);
    }
    return d;
  }

  private static MappingException durationRange(String path) {
    return new MappingException(path, "duration out of range (±315576000000s, 10000 years)");
  }

  /** The comma-separated JSON form: {@code "user.displayName,photo"} → {@code user.display_name}, {@code photo}. */
  static List<String> fieldMaskPaths(String text) {
    List<String> paths = new ArrayList<>();
    if (text.isEmpty()) {
      return paths;
    }
    for (String path : text.split(",", -1)) {
      StringBuilder snake = new StringBuilder(path.length() + 4);
      for (int i = 0; i < path.length(); i++) {
        char c = path.charAt(i);
        if (c >= 'A' && c <= 'Z') {
          snake.append('_').append((char) (c - 'A' + 'a'));
        } else {
          snake.append(c);
        }
      }
      paths.add(snake.toString().strip());
    }
    return paths;
  }
}
