package dev.bridge.plugin;

import com.google.protobuf.StringValue;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A host's view of a plugin, for the tests: environment, a started server, and clients that talk to it. */
final class TestPlugins {
  static final String COOKIE_KEY = "BRIDGE_TEST_COOKIE";
  static final String COOKIE_VALUE = "d2f1c7e0";
  static final HandshakeConfig HANDSHAKE = new HandshakeConfig(COOKIE_KEY, COOKIE_VALUE, List.of(1, 2));
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  static final MethodDescriptor<StringValue, StringValue> ECHO =
      MethodDescriptor.<StringValue, StringValue>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("test.Echo/Echo")
          .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
          .build();

  private TestPlugins() {}

  /** The environment a host would give, with the cookie, sockets in {@code dir} and the given extra variables. */
  static Map<String, String> hostEnv(Path dir, String... extra) {
    Map<String, String> env = new HashMap<>();
    env.put(COOKIE_KEY, COOKIE_VALUE);
    env.put("PLUGIN_PROTOCOL_VERSIONS", "1,2");
    env.put("PLUGIN_UNIX_SOCKET_DIR", dir.toString());
    for (int i = 0; i < extra.length; i += 2) {
      env.put(extra[i], extra[i + 1]);
    }
    return env;
  }

  static ServerServiceDefinition echoService(String prefix) {
    return ServerServiceDefinition.builder("test.Echo")
        .addMethod(
            ECHO,
            ServerCalls.asyncUnaryCall(
                (request, response) -> {
                  response.onNext(StringValue.of(prefix + request.getValue()));
                  response.onCompleted();
                }))
        .build();
  }

  static PluginServerOptions testOptions() {
    return PluginServerOptions.defaults().withHandleSignals(false);
  }

  /** A started plugin and what it printed on its stdout. */
  record Started(PluginServer server, String stdout) implements AutoCloseable {
    HandshakeLine handshake() {
      String[] lines = stdout.split("\n", -1);
      if (lines.length != 2 || !lines[1].isEmpty()) {
        throw new AssertionError("expected exactly one newline-terminated line on stdout, got: " + stdout);
      }
      return HandshakeLine.parse(lines[0]);
    }

    @Override
    public void close() throws InterruptedException {
      server.close();
    }
  }

  static Started start(Map<String, String> env, PluginServerOptions options, ServerServiceDefinition... services)
      throws Exception {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    PluginServer server =
        PluginServer.start(
            PluginEnvironment.read(HANDSHAKE, env),
            List.of(services),
            new PrintStream(stdout, true, StandardCharsets.UTF_8),
            options);
    return new Started(server, stdout.toString(StandardCharsets.UTF_8));
  }

  /** A client channel to a handshake's address, closed with its event loop. */
  static final class Client implements AutoCloseable {
    final ManagedChannel channel;
    private final EventLoopGroup loop;

    private Client(ManagedChannel channel, EventLoopGroup loop) {
      this.channel = channel;
      this.loop = loop;
    }

    static Client connect(ListenAddress address) {
      return connect(address, null);
    }

    /** With {@code tls} (null for plain text), naming the server localhost as go-plugin hosts do. */
    static Client connect(ListenAddress address, SslContext tls) {
      EventLoopGroup loop = null;
      NettyChannelBuilder builder;
      if (address.network().equals(ListenAddress.UNIX)) {
        loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        builder =
            NettyChannelBuilder.forAddress(new DomainSocketAddress(address.address()))
                .channelType(EpollDomainSocketChannel.class)
                .eventLoopGroup(loop)
                .withOption(ChannelOption.SO_KEEPALIVE, null);
      } else {
        builder = NettyChannelBuilder.forTarget(address.address());
      }
      if (tls == null) {
        builder.usePlaintext();
      } else {
        builder.sslContext(tls).overrideAuthority("localhost");
      }
      return new Client(builder.build(), loop);
    }

    HealthCheckResponse.ServingStatus health(String service) {
      return HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
          .check(HealthCheckRequest.newBuilder().setService(service).build())
          .getStatus();
    }

    String echo(String text) {
      return ClientCalls.blockingUnaryCall(
              channel, ECHO, CallOptions.DEFAULT.withDeadlineAfter(TIMEOUT.toSeconds(), TimeUnit.SECONDS),
              StringValue.of(text))
          .getValue();
    }

    void shutdownPlugin() {
      ClientCalls.blockingUnaryCall(
          channel,
          GrpcControllerService.SHUTDOWN,
          CallOptions.DEFAULT.withDeadlineAfter(TIMEOUT.toSeconds(), TimeUnit.SECONDS),
          dev.bridge.plugin.internal.Empty.getDefaultInstance());
    }

    @Override
    public void close() throws InterruptedException {
      channel.shutdownNow();
      channel.awaitTermination(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (loop != null) {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
    }
  }
}
