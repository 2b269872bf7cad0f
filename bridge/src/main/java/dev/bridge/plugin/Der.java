package dev.bridge.plugin;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The few DER encodings (ITU-T X.690) a self-signed certificate is made of, enough for {@link SelfSignedCertificate}:
 * each method returns one complete element, tag, length and contents.
 */
final class Der {
  static final int BOOLEAN = 0x01;
  static final int INTEGER = 0x02;
  static final int BIT_STRING = 0x03;
  static final int OCTET_STRING = 0x04;
  static final int OBJECT_IDENTIFIER = 0x06;
  static final int UTF8_STRING = 0x0c;
  static final int UTC_TIME = 0x17;
  static final int GENERALIZED_TIME = 0x18;
  static final int SEQUENCE = 0x30;
  static final int SET = 0x31;

  private static final DateTimeFormatter UTC_TIME_FORMAT = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
  private static final DateTimeFormatter GENERALIZED_TIME_FORMAT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'");

  private Der() {}

  /** An element of {@code tag} holding {@code parts} one after the other. */
  static byte[] element(int tag, byte[]... parts) {
    ByteArrayOutputStream contents = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      contents.writeBytes(part);
    }
    int length = contents.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
    out.write(tag);
    if (length < 0x80) {
      out.write(length);
    } else {
      // Long form: 0x80 | the number of length bytes, then the length, most significant byte first.
      int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
      out.write(0x80 | bytes);
      for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
        out.write(length >>> shift);
      }
    }
    out.writeBytes(contents.toByteArray());
    return out.toByteArray();
  }

  static byte[] sequence(byte[]... parts) {
    return element(SEQUENCE, parts);
  }

  static byte[] integer(BigInteger value) {
    // Two's complement, big-endian, minimal: what BigInteger gives.
    return element(INTEGER, value.toByteArray());
  }

  static byte[] bool(boolean value) {
    return element(BOOLEAN, new byte[] {(byte) (value ? 0xff : 0x00)});
  }

  /** A bit string of whole bytes, or with {@code unusedBits} unused low bits in its last byte. */
  static byte[] bitString(int unusedBits, byte[] bits) {
    return element(BIT_STRING, new byte[] {(byte) unusedBits}, bits);
  }

  static byte[] octetString(byte[] bytes) {
    return element(OCTET_STRING, bytes);
  }

  static byte[] utf8(String text) {
    return element(UTF8_STRING, text.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code tag} over ASCII {@code text}: GeneralizedTime, or a context-specific IA5String such as a DNS name. */
  static byte[] ascii(int tag, String text) {
    return element(tag, text.getBytes(StandardCharsets.US_ASCII));
  }

  /** A time as RFC 5280 wants it in a certificate: UTCTime up to 2049, GeneralizedTime from 2050, in seconds, UTC. */
  static byte[] time(Instant instant) {
    ZonedDateTime utc = instant.atZone(ZoneOffset.UTC);
    if (utc.getYear() < 2050) {
      return ascii(UTC_TIME, UTC_TIME_FORMAT.format(utc));
    }
    return ascii(GENERALIZED_TIME, GENERALIZED_TIME_FORMAT.format(utc));
  }

  /** An object identifier from its dotted form, {@code 1.2.840.10045.4.3.2}. */
  static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    encodeArc(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      encodeArc(out, Long.parseLong(arcs[i]));
    }
    return element(OBJECT_IDENTIFIER, out.toByteArray());
  }

  // Base 128, most significant group first, the high bit set on every byte but the last.
  private static void encodeArc(ByteArrayOutputStream out, long arc) {
    int groups = Math.max(1, (Long.SIZE - Long.numberOfLeadingZeros(arc) + 6) / 7);
    for (int g = groups - 1; g >= 0; g--) {
      int group = (int) ((arc >>> (7 * g)) & 0x7f);
      out.write(g == 0 ? group : group | 0x80);
    }
  }
}
