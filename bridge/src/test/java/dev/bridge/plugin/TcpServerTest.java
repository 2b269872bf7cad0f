package dev.bridge.plugin;

import static dev.bridge.plugin.TestPlugins.echoService;
import static dev.bridge.plugin.TestPlugins.hostEnv;
import static dev.bridge.plugin.TestPlugins.testOptions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TcpServerTest {
  @TempDir Path dir;

  @Test
  void listensOnLoopbackWithinThePortRange() throws Exception {
    int[] range = freeRange();
    var env =
        hostEnv(dir, "PLUGIN_MIN_PORT", Integer.toString(range[0]), "PLUGIN_MAX_PORT", Integer.toString(range[1]));
    try (TestPlugins.Started plugin = TestPlugins.start(env, testOptions().withForceTcp(true), echoService(""))) {
      HandshakeLine line = plugin.handshake();
      assertEquals("tcp", line.address().network());
      String[] hostPort = line.address().address().split(":");
      assertEquals("127.0.0.1", hostPort[0]);
      int port = Integer.parseInt(hostPort[1]);
      assertTrue(port >= range[0] && port <= range[1], "port " + port + " outside " + range[0] + ".." + range[1]);
      assertTrue(plugin.stdout().matches("1\\|2\\|tcp\\|127\\.0\\.0\\.1:\\d+\\|grpc\\|\n"), plugin.stdout());
      try (TestPlugins.Client client = TestPlugins.Client.connect(line.address())) {
        assertEquals(ServingStatus.SERVING, client.health("plugin"));
        assertEquals("ok", client.echo("ok"));
      }
    }
  }

  @Test
  void skipsPortsInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int busy = taken.getLocalPort();
      // The next port may be taken by someone else too; then the test still proves the skip only if it binds there.
      var env =
          hostEnv(dir, "PLUGIN_MIN_PORT", Integer.toString(busy), "PLUGIN_MAX_PORT", Integer.toString(busy + 20));
      try (TestPlugins.Started plugin = TestPlugins.start(env, testOptions().withForceTcp(true))) {
        int port = Integer.parseInt(plugin.handshake().address().address().split(":")[1]);
        assertTrue(port > busy && port <= busy + 20, "bound " + port + " next to busy " + busy);
      }
    }
  }

  @Test
  void noFreePortInTheRangeIsAnErrorNamingTheRange() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      String busy = Integer.toString(taken.getLocalPort());
      var env = hostEnv(dir, "PLUGIN_MIN_PORT", busy, "PLUGIN_MAX_PORT", busy);
      IOException e =
          assertThrows(IOException.class, () -> TestPlugins.start(env, testOptions().withForceTcp(true)));
      assertTrue(e.getMessage().contains(busy + ".." + busy), e.getMessage());
    }
  }

  @Test
  void unsetRangeLetsTheSystemPickAPort() throws Exception {
    try (TestPlugins.Started plugin = TestPlugins.start(hostEnv(dir), testOptions().withForceTcp(true))) {
      int port = Integer.parseInt(plugin.handshake().address().address().split(":")[1]);
      assertTrue(port > 0);
    }
  }

  // A small range that was free a moment ago.
  private static int[] freeRange() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = probe.getLocalPort();
    }
    return new int[] {port, Math.min(65535, port + 10)};
  }
}
