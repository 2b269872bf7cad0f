package dev.bridge.plugin;

import static dev.bridge.plugin.TestPlugins.echoService;
import static dev.bridge.plugin.TestPlugins.hostEnv;
import static dev.bridge.plugin.TestPlugins.testOptions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PluginServerOptions.maxInboundMessageSize, over a real socket. */
class MaxMessageSizeTest {
  @TempDir Path dir;

  @Test
  void aRequestLargerThanTheLimitIsResourceExhaustedAndServingGoesOn() throws Exception {
    var options = testOptions().withForceTcp(true).withMaxInboundMessageSize(1024);
    try (TestPlugins.Started plugin = TestPlugins.start(hostEnv(dir), options, echoService(""));
        TestPlugins.Client client = TestPlugins.Client.connect(plugin.handshake().address())) {
      var error = assertThrows(StatusRuntimeException.class, () -> client.echo("x".repeat(2048)));
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, error.getStatus().getCode());
      assertTrue(error.getStatus().getDescription().contains("1024"), error.getStatus().getDescription());
      assertEquals("small", client.echo("small"));
    }
  }

  @Test
  void theDefaultIsGrpcs4MiB() {
    assertEquals(4 * 1024 * 1024, PluginServerOptions.defaults().maxInboundMessageSize());
    assertThrows(IllegalArgumentException.class, () -> testOptions().withMaxInboundMessageSize(0));
  }
}
