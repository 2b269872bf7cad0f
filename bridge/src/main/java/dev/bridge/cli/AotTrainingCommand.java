package dev.bridge.cli;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.bridge.app.Plugin;
import dev.bridge.rpc.grpc.DynamicMethods;
import dev.bridge.plugin.AutoMtls;
import dev.bridge.plugin.AutoMtlsSetup;
import dev.bridge.plugin.HandshakeConfig;
import dev.bridge.plugin.ListenAddress;
import dev.bridge.plugin.PluginEnvironment;
import dev.bridge.plugin.PluginServer;
import dev.bridge.plugin.PluginServerOptions;
import dev.bridge.plugin.SelfSignedCertificate;
import dev.bridge.plugin.StdioPublisher;
import dev.bridge.plugin.broker.BrokerTls;
import dev.bridge.script.ConsoleSink;
import dev.bridge.script.JsEngine;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The training run of the JDK's ahead-of-time cache (run by the build with {@code -XX:AOTCacheOutput}):
 * does what a plugin's start does (manifest, schema, engine, script, server, handshake) and then what
 * a host does (health check, calls of every unary method), in one process that then exits normally, so
 * the classes and methods of that path are in the cache the launcher starts with. It serves twice: in
 * plain text, then under AutoMTLS as a go-plugin host asks for it (a P-521 host certificate in
 * {@code PLUGIN_CLIENT_CERT}, TLS on every connection), so that an AutoMTLS start finds the JDK's TLS in
 * the cache too.
 */
@Command(name = "aot-train", hidden = true,
    description = "Serves SCRIPT to an in-process client and exits (the build's training run of the AOT cache).")
final class AotTrainingCommand implements Callable<Integer> {
  private static final int CALLS_PER_METHOD = 200;

  @Mixin ServeOptions options = new ServeOptions();

  @Override
  public Integer call() throws Exception {
    Path files = Files.createTempDirectory("bridge-aot-training");
    options.filesDir = files;
    PluginConfig config = PluginConfig.resolve(options);
    SelfSignedCertificate host = SelfSignedCertificate.generate(SelfSignedCertificate.GO_PLUGIN_CURVE);
    PluginEnvironment plain = PluginEnvironment.read(config.handshake(), hostEnvironment(config.handshake()));
    Map<String, String> withCertificate = hostEnvironment(config.handshake());
    withCertificate.put(PluginEnvironment.CLIENT_CERT_ENV, host.certificatePem());
    PluginEnvironment autoMtls = PluginEnvironment.read(config.handshake(), withCertificate);
    try (JsEngine engine = JsEngine.create()) {
      try (Plugin plugin = Plugin.load(engine, config.spec(), files, ConsoleSink.discard())) {
        serveAndCall(plugin, plain, Optional.empty());
        serveAndCall(plugin, autoMtls, Optional.of(host));
      }
    }
    try (var left = Files.walk(files)) {
      for (Path path : left.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
    return ServeCommand.EXIT_OK;
  }

  /** Serves {@code plugin} as a host asked in {@code environment}, and calls it as that host: with TLS if given. */
  private static void serveAndCall(Plugin plugin, PluginEnvironment environment, Optional<SelfSignedCertificate> host)
      throws Exception {
    PluginServerOptions options = PluginServerOptions.defaults().withHandleSignals(false).withStdio(new StdioPublisher());
    if (environment.autoMtls()) {
      // As ServeCommand does.
      options = options.withAutoMtls(AutoMtlsSetup.startCreating(environment.clientCertificates()));
    }
    PluginServer server = plugin.serve(environment, new PrintStream(OutputStream.nullOutputStream()), options);
    try {
      Optional<SslContext> tls = Optional.empty();
      if (host.isPresent()) {
        byte[] der = Base64.getDecoder().decode(server.handshake().serverCertificate());
        X509Certificate pluginCertificate = (X509Certificate) CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(der));
        tls = Optional.of(AutoMtls.clientContext(host.get(), List.of(pluginCertificate)));
      }
      callEveryMethod(server.address(), plugin.services(), tls);
    } finally {
      server.shutdown().get(30, TimeUnit.SECONDS);
    }
  }

  /** What a go-plugin host sets: its cookie and the protocol versions it speaks. */
  private static Map<String, String> hostEnvironment(HandshakeConfig handshake) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put(handshake.magicCookieKey(), handshake.magicCookieValue());
    env.put("PLUGIN_PROTOCOL_VERSIONS",
        handshake.appProtocolVersions().stream().map(String::valueOf).collect(Collectors.joining(",")));
    return env;
  }

  private static void callEveryMethod(ListenAddress address, List<ServiceDescriptor> services,
      Optional<SslContext> tls) throws InterruptedException {
    EventLoopGroup loop = null;
    NettyChannelBuilder builder;
    if (address.network().equals(ListenAddress.UNIX)) {
      loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
      builder = NettyChannelBuilder.forAddress(new DomainSocketAddress(address.address()))
          .channelType(EpollDomainSocketChannel.class).eventLoopGroup(loop);
    } else {
      builder = NettyChannelBuilder.forTarget(address.address());
    }
    if (tls.isPresent()) {
      builder.sslContext(tls.get()).overrideAuthority(BrokerTls.HOST_NAME);
    } else {
      builder.usePlaintext();
    }
    ManagedChannel channel = builder.build();
    try {
      HealthGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
          .check(HealthCheckRequest.newBuilder().setService(PluginServer.HEALTH_SERVICE_NAME).build());
      for (ServiceDescriptor service : services) {
        for (MethodDescriptor method : service.getMethods()) {
          if (method.isClientStreaming() || method.isServerStreaming()) {
            continue;
          }
          DynamicMessage request = DynamicMessage.getDefaultInstance(method.getInputType());
          for (int i = 0; i < CALLS_PER_METHOD; i++) {
            try {
              ClientCalls.blockingUnaryCall(channel, DynamicMethods.describe(method),
                  CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), request);
            } catch (StatusRuntimeException e) {
              // A handler refusing an empty request trains the error path just as well.
            }
          }
        }
      }
    } finally {
      channel.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
      if (loop != null) {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(30, TimeUnit.SECONDS);
      }
    }
  }
}
