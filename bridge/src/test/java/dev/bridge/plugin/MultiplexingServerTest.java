package dev.bridge.plugin;

import static dev.bridge.plugin.TestPlugins.TIMEOUT;
import static dev.bridge.plugin.TestPlugins.echoService;
import static dev.bridge.plugin.TestPlugins.hostEnv;
import static dev.bridge.plugin.TestPlugins.testOptions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.StringValue;
import dev.bridge.plugin.mux.InJvmLoops;
import dev.bridge.plugin.mux.StreamDialer;
import dev.bridge.yamux.YamuxConfig;
import dev.bridge.yamux.YamuxSession;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.local.LocalChannel;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code PLUGIN_MULTIPLEX_GRPC=true} the plugin says so in the handshake's seventh field and serves gRPC over
 * the yamux streams of the one connection it accepts; a host here is this package's yamux client with a grpc-java
 * channel per stream (go-plugin's host does the same with hashicorp/yamux: see host/e2e's multiplexing test).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MultiplexingServerTest {
  @TempDir Path dir;

  @Test
  void handshakeSaysTrueInTheSeventhField() throws Exception {
    try (TestPlugins.Started plugin = TestPlugins.start(hostEnv(dir, "PLUGIN_MULTIPLEX_GRPC", "true"), testOptions())) {
      assertEquals(java.util.Optional.of(true), plugin.handshake().multiplexSupported());
      assertTrue(plugin.stdout().endsWith("|grpc||true\n"), plugin.stdout());
    }
  }

  @Test
  void withoutTheVariableThereIsNoSeventhField() throws Exception {
    try (TestPlugins.Started plugin = TestPlugins.start(hostEnv(dir, "PLUGIN_MULTIPLEX_GRPC", "false"), testOptions())) {
      assertEquals(java.util.Optional.empty(), plugin.handshake().multiplexSupported());
    }
  }

  @Test
  void callsOverStreamsOfTheOneConnection() throws Exception {
    try (TestPlugins.Started plugin = TestPlugins.start(
            hostEnv(dir, "PLUGIN_MULTIPLEX_GRPC", "true"), testOptions(), echoService("echo: "));
        Host host = Host.connect(plugin.handshake().address())) {
      ManagedChannel main = host.grpcChannel();
      assertEquals(ServingStatus.SERVING, health(main));
      assertEquals("echo: " + "x".repeat(600_000), echo(main, "x".repeat(600_000)));
      // A second gRPC connection is a second stream.
      ManagedChannel second = host.grpcChannel();
      assertEquals("echo: two", echo(second, "two"));
      assertEquals(2, host.session.streamCount());
      host.session.ping(TIMEOUT);
      // Exactly one connection is accepted.
      assertThrows(IOException.class, () -> SocketChannel.open(socketAddress(plugin.handshake().address())));
    }
  }

  @Test
  void overTcpToo() throws Exception {
    try (TestPlugins.Started plugin = TestPlugins.start(
            hostEnv(dir, "PLUGIN_MULTIPLEX_GRPC", "true"), testOptions().withForceTcp(true), echoService(""));
        Host host = Host.connect(plugin.handshake().address())) {
      assertEquals("tcp", plugin.handshake().address().network());
      assertEquals("hi", echo(host.grpcChannel(), "hi"));
    }
  }

  @Test
  void stoppingThePluginEndsTheSessionAndRemovesTheSocket() throws Exception {
    TestPlugins.Started plugin =
        TestPlugins.start(hostEnv(dir, "PLUGIN_MULTIPLEX_GRPC", "true"), testOptions(), echoService(""));
    Path socket = Path.of(plugin.handshake().address().address());
    try (Host host = Host.connect(plugin.handshake().address())) {
      assertEquals("hi", echo(host.grpcChannel(), "hi"));
      plugin.server().shutdown();
      assertTrue(plugin.server().awaitTermination(TIMEOUT));
      host.session.closed().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      assertFalse(Files.exists(socket));
    }
  }

  private static ServingStatus health(ManagedChannel channel) {
    return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService("plugin").build()).getStatus();
  }

  private static String echo(ManagedChannel channel, String text) {
    return ClientCalls.blockingUnaryCall(channel, TestPlugins.ECHO,
        CallOptions.DEFAULT.withDeadlineAfter(TIMEOUT.toSeconds(), TimeUnit.SECONDS), StringValue.of(text)).getValue();
  }

  private static SocketAddress socketAddress(ListenAddress address) {
    if (address.network().equals(ListenAddress.UNIX)) {
      return UnixDomainSocketAddress.of(address.address());
    }
    String[] hostPort = address.address().split(":");
    return new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
  }

  /** A host's side: the yamux client session, and gRPC channels each of whose connections is a new stream. */
  private static final class Host implements AutoCloseable {
    final YamuxSession session;
    private final EventLoopGroup loops = InJvmLoops.create("test-host");
    private final java.util.List<AutoCloseable> opened = new java.util.ArrayList<>();

    private Host(YamuxSession session) {
      this.session = session;
    }

    static Host connect(ListenAddress address) throws IOException {
      SocketChannel connection = SocketChannel.open(socketAddress(address));
      return new Host(YamuxSession.client(connection, YamuxConfig.defaults().withKeepAlive(Duration.ZERO)));
    }

    ManagedChannel grpcChannel() throws IOException {
      StreamDialer dialer = StreamDialer.start(loops, "test-host", session::open);
      ManagedChannel channel = NettyChannelBuilder.forAddress(dialer.address())
          .channelType(LocalChannel.class)
          .eventLoopGroup(loops)
          .withOption(io.grpc.netty.shaded.io.netty.channel.ChannelOption.SO_KEEPALIVE, null)
          .usePlaintext()
          .build();
      opened.add(() -> {
        channel.shutdownNow().awaitTermination(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        dialer.close();
      });
      return channel;
    }

    @Override
    public void close() throws Exception {
      for (AutoCloseable each : opened) {
        each.close();
      }
      session.close();
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }
}
