package dev.bridge.warm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameTest {
  @Test
  void framesReadBackAsWritten() throws IOException {
    var out = new ByteArrayOutputStream();
    Frame.text(Frame.Type.STDOUT, "1|1|unix|/tmp/plugin1|grpc|\n").writeTo(out);
    Frame.exit(143).writeTo(out);
    var in = new ByteArrayInputStream(out.toByteArray());
    assertEquals("1|1|unix|/tmp/plugin1|grpc|\n", Frame.readFrom(in).text());
    assertEquals(143, Frame.readFrom(in).exitCode());
    assertNull(Frame.readFrom(in), "a clean end after the last frame");
  }

  @Test
  void theWireFormatIsTypeLengthPayload() throws IOException {
    var out = new ByteArrayOutputStream();
    Frame.text(Frame.Type.SIGNAL, "TERM").writeTo(out);
    assertArrayEquals(new byte[] {'S', 0, 0, 0, 4, 'T', 'E', 'R', 'M'}, out.toByteArray());
  }

  @Test
  void aStreamCutInsideAFrameIsAnError() {
    byte[] whole = Frame.text(Frame.Type.STDERR, "a log line").encode();
    var in = new ByteArrayInputStream(Arrays.copyOf(whole, whole.length - 3));
    var e = assertThrows(IOException.class, () -> Frame.readFrom(in));
    assertTrue(e.getMessage().contains("ended inside a STDERR frame"), e.getMessage());
  }

  @Test
  void unknownTypesAndHugeLengthsAreRefused() {
    var unknown = assertThrows(IOException.class, () -> Frame.readFrom(new ByteArrayInputStream(new byte[] {'Z', 0, 0, 0, 0})));
    assertTrue(unknown.getMessage().contains("unknown frame type 0x5a"), unknown.getMessage());
    var huge = assertThrows(IOException.class,
        () -> Frame.readFrom(new ByteArrayInputStream(new byte[] {'O', (byte) 0x7f, 0, 0, 0})));
    assertTrue(huge.getMessage().contains("STDOUT frame of 2130706432 bytes"), huge.getMessage());
  }

  @Test
  void onlyAnExitFrameHasAnExitCode() {
    assertThrows(IOException.class, () -> Frame.text(Frame.Type.STDOUT, "0000").exitCode());
  }
}
