package dev.bridge.plugin;

import static dev.bridge.plugin.TestPlugins.TIMEOUT;
import static dev.bridge.plugin.TestPlugins.echoService;
import static dev.bridge.plugin.TestPlugins.hostEnv;
import static dev.bridge.plugin.TestPlugins.testOptions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixSocketServerTest {
  @TempDir Path dir;

  @BeforeAll
  static void needsEpoll() {
    assumeTrue(Listeners.unixSocketsAvailable(), "Netty's epoll transport is not available here");
  }

  @Test
  void servesHealthAndUserServicesOnAFreshSocketInTheSocketDir() throws Exception {
    try (TestPlugins.Started plugin = TestPlugins.start(hostEnv(dir), testOptions(), echoService("echo: "))) {
      HandshakeLine line = plugin.handshake();
      assertEquals(2, line.appProtocolVersion());
      assertEquals("unix", line.address().network());
      assertEquals("", line.serverCertificate());
      assertEquals(Optional.empty(), line.multiplexSupported());
      Path socket = Path.of(line.address().address());
      assertEquals(dir.toAbsolutePath(), socket.getParent());
      assertTrue(socket.getFileName().toString().matches("plugin\\d+"), socket.toString());
      assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));

      try (TestPlugins.Client client = TestPlugins.Client.connect(line.address())) {
        assertEquals(ServingStatus.SERVING, client.health("plugin"));
        assertEquals("echo: hi", client.echo("hi"));
      }
    }
  }

  @Test
  void socketFileIsRemovedAfterShutdown() throws Exception {
    TestPlugins.Started plugin = TestPlugins.start(hostEnv(dir), testOptions());
    Path socket = Path.of(plugin.handshake().address().address());
    assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
    plugin.server().shutdown();
    assertTrue(plugin.server().awaitTermination(TIMEOUT));
    assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void socketGroupSetsOwnerGroupAndMode0660() throws Exception {
    PosixFileAttributes dirAttributes = Files.readAttributes(dir, PosixFileAttributes.class);
    String group = dirAttributes.group().getName();
    try (TestPlugins.Started plugin =
        TestPlugins.start(hostEnv(dir, "PLUGIN_UNIX_SOCKET_GROUP", group), testOptions())) {
      Path socket = Path.of(plugin.handshake().address().address());
      PosixFileAttributes attributes =
          Files.readAttributes(socket, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      assertEquals(group, attributes.group().getName());
      assertEquals(PosixFilePermissions.fromString("rw-rw----"), attributes.permissions());
    }
  }

  @Test
  void servicesCanBeSwappedWhileServing() throws Exception {
    try (TestPlugins.Started plugin = TestPlugins.start(hostEnv(dir), testOptions(), echoService("v1 "));
        TestPlugins.Client client = TestPlugins.Client.connect(plugin.server().address())) {
      assertEquals("v1 x", client.echo("x"));
      plugin.server().replaceServices(List.of(echoService("v2 ")));
      assertEquals("v2 x", client.echo("x"));
      plugin.server().replaceServices(List.of());
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> client.echo("x"));
      assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
    }
  }

  @Test
  void internalServiceNamesCannotBeTakenByUserServices() {
    io.grpc.ServerServiceDefinition fakeHealth =
        io.grpc.ServerServiceDefinition.builder("grpc.health.v1.Health").build();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TestPlugins.start(hostEnv(dir), testOptions(), fakeHealth));
    assertTrue(e.getMessage().contains("grpc.health.v1.Health"), e.getMessage());
  }
}
