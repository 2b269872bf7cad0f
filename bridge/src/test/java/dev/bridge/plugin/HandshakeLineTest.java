package dev.bridge.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class HandshakeLineTest {
  @Test
  void unixLineWithoutCertificateEndsWithAnEmptySixthField() {
    HandshakeLine line =
        new HandshakeLine(2, new ListenAddress("unix", "/tmp/plugin123"), "", Optional.empty());
    assertEquals("1|2|unix|/tmp/plugin123|grpc|", line.format());
  }

  @Test
  void tcpLineCarriesHostAndPort() {
    HandshakeLine line = new HandshakeLine(1, new ListenAddress("tcp", "127.0.0.1:1234"), "QUJD", Optional.empty());
    assertEquals("1|1|tcp|127.0.0.1:1234|grpc|QUJD", line.format());
  }

  @Test
  void multiplexAnswerIsASeventhField() {
    HandshakeLine line = new HandshakeLine(1, new ListenAddress("unix", "/s"), "", Optional.of(false));
    assertEquals("1|1|unix|/s|grpc||false", line.format());
  }

  @Test
  void parseReadsWhatFormatWrites() {
    HandshakeLine line = new HandshakeLine(3, new ListenAddress("tcp", "127.0.0.1:9"), "abc", Optional.of(false));
    assertEquals(line, HandshakeLine.parse(line.format() + "\n"));
  }

  @Test
  void malformedLinesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> HandshakeLine.parse("1|1|unix|/s"));
    assertThrows(IllegalArgumentException.class, () -> HandshakeLine.parse("2|1|unix|/s|grpc|"));
    assertThrows(IllegalArgumentException.class, () -> HandshakeLine.parse("1|1|unix|/s|netrpc|"));
    assertThrows(IllegalArgumentException.class, () -> HandshakeLine.parse("1|1|pipe|/s|grpc|"));
  }

  @Test
  void addressesThatWouldBreakTheLineAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ListenAddress("unix", "/a|b"));
    assertThrows(IllegalArgumentException.class, () -> new ListenAddress("unix", ""));
  }
}
