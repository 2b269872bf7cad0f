package dev.bridge.plugin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DerTest {
  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  @Test
  void objectIdentifiersInBase128() {
    assertEquals("06082a8648ce3d040302", hex(Der.oid("1.2.840.10045.4.3.2")));
    assertEquals("0603551d11", hex(Der.oid("2.5.29.17")));
  }

  @Test
  void lengthsShortAndLong() {
    assertEquals("0400", hex(Der.octetString(new byte[0])));
    assertEquals("047f", hex(Der.octetString(new byte[127])).substring(0, 4));
    assertEquals("048180", hex(Der.octetString(new byte[128])).substring(0, 6));
    assertEquals("04820100", hex(Der.octetString(new byte[256])).substring(0, 8));
  }

  @Test
  void integersBooleansAndBitStrings() {
    assertEquals("020102", hex(Der.integer(BigInteger.TWO)));
    assertEquals("02020080", hex(Der.integer(BigInteger.valueOf(128))), "a positive number keeps its sign byte");
    assertEquals("0101ff", hex(Der.bool(true)));
    assertArrayEquals(new byte[] {0x03, 0x02, 0x02, (byte) 0xac}, Der.bitString(2, new byte[] {(byte) 0xac}));
  }

  @Test
  void timesUtcBefore2050GeneralizedFrom2050() {
    assertEquals("170d3236313230333130303030305a", hex(Der.time(Instant.parse("2026-12-03T10:00:00Z"))));
    assertEquals("180f32303536313230333130303030305a", hex(Der.time(Instant.parse("2056-12-03T10:00:00Z"))));
  }
}
