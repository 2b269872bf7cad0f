package dev.bridge.yamux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The header layout of spec.md: version, type, flags (16 bits), stream id, length (32 bits each), big-endian. */
class FrameHeaderTest {
  @Test
  void windowUpdateOpeningStreamOne() {
    byte[] bytes = new FrameHeader(FrameHeader.TYPE_WINDOW_UPDATE, FrameHeader.FLAG_SYN, 1, 0).toBytes();
    assertArrayEquals(new byte[] {0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0}, bytes);
  }

  @Test
  void dataFrameCarriesItsPayloadLength() {
    byte[] bytes = new FrameHeader(FrameHeader.TYPE_DATA, FrameHeader.FLAG_FIN, 0x01020304, 0x40000).toBytes();
    assertArrayEquals(new byte[] {0, 0, 0, 4, 1, 2, 3, 4, 0, 4, 0, 0}, bytes);
  }

  @Test
  void pingAndGoAwayUseStreamZero() {
    assertArrayEquals(new byte[] {0, 2, 0, 2, 0, 0, 0, 0, 0, 0, 0, 7},
        new FrameHeader(FrameHeader.TYPE_PING, FrameHeader.FLAG_ACK, 0, 7).toBytes());
    assertArrayEquals(new byte[] {0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
        new FrameHeader(FrameHeader.TYPE_GO_AWAY, 0, 0, FrameHeader.GO_AWAY_PROTOCOL_ERROR).toBytes());
  }

  @Test
  void decodeReadsUnsignedFields() throws Exception {
    byte[] bytes = {0, 1, (byte) 0x80, 0x0F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
        (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFE};
    FrameHeader header = FrameHeader.decode(ByteBuffer.wrap(bytes));
    assertEquals(FrameHeader.TYPE_WINDOW_UPDATE, header.type());
    assertEquals(0x800F, header.flags());
    assertEquals("4294967295", Integer.toUnsignedString(header.streamId()));
    assertEquals(4294967294L, header.unsignedLength());
    assertArrayEquals(bytes, header.toBytes());
  }

  @Test
  void otherVersionsAndTypesAreProtocolErrors() {
    assertThrows(YamuxProtocolException.class,
        () -> FrameHeader.decode(ByteBuffer.wrap(new byte[] {1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0})));
    assertThrows(YamuxProtocolException.class,
        () -> FrameHeader.decode(ByteBuffer.wrap(new byte[] {0, 4, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0})));
  }
}
