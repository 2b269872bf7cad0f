package dev.bridge.warm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchRequestTest {
  @Test
  void aRequestDecodesAsEncoded() throws IOException {
    var request = new LaunchRequest("0123456789abcdef", Path.of("/home/ada/plugins"),
        List.of("kv.js", "--flag", "with space", ""),
        Map.of("KV_PLUGIN", "hello", "PLUGIN_CLIENT_CERT", "-----BEGIN CERTIFICATE-----\nMIIB\n", "EMPTY", "",
            "EQUALS", "a=b"));
    assertEquals(request, LaunchRequest.decode(request.encode()));
  }

  @Test
  void theCClientsBytesDecode() throws IOException {
    // What bridgejs-warm.c sends: NUL-terminated strings, counts in decimal, variables as NAME=value.
    String wire = "bridge-warm-1\0abc\0/work\0" + "1\0kv.js\0" + "2\0A=1\0B=x=y\0";
    var request = LaunchRequest.decode(wire.getBytes(StandardCharsets.UTF_8));
    assertEquals("abc", request.buildId());
    assertEquals(Path.of("/work"), request.cwd());
    assertEquals(List.of("kv.js"), request.args());
    assertEquals(Map.of("A", "1", "B", "x=y"), request.env());
  }

  @Test
  void aTruncatedOrForeignHelloIsRefusedSayingWhy() {
    byte[] whole = new LaunchRequest("id", Path.of("/"), List.of("a.js"), Map.of("A", "1")).encode();
    var cut = assertThrows(IOException.class, () -> LaunchRequest.decode(Arrays.copyOf(whole, whole.length - 2)));
    assertTrue(cut.getMessage().contains("ends before the variable 0"), cut.getMessage());
    var foreign = assertThrows(IOException.class,
        () -> LaunchRequest.decode("bridge-warm-0\0".getBytes(StandardCharsets.UTF_8)));
    assertTrue(foreign.getMessage().contains("another protocol (bridge-warm-0"), foreign.getMessage());
    var relative = assertThrows(IOException.class,
        () -> LaunchRequest.decode("bridge-warm-1\0id\0work\0".getBytes(StandardCharsets.UTF_8)));
    assertTrue(relative.getMessage().contains("working directory work: not absolute"), relative.getMessage());
    var count = assertThrows(IOException.class,
        () -> LaunchRequest.decode("bridge-warm-1\0id\0/\0-1\0".getBytes(StandardCharsets.UTF_8)));
    assertTrue(count.getMessage().contains("argument count -1: not a count"), count.getMessage());
  }
}
