package dev.bridge.plugin.broker;

import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import dev.bridge.plugin.HandshakeConfig;
import dev.bridge.plugin.HandshakeLine;
import dev.bridge.plugin.PluginEnvironment;
import dev.bridge.plugin.PluginServer;
import dev.bridge.plugin.PluginServerOptions;
import dev.bridge.plugin.SelfSignedCertificate;
import dev.bridge.plugin.internal.ConnInfo;
import dev.bridge.rpc.Handlers;
import dev.bridge.rpc.MethodHandler;
import dev.bridge.rpc.ServerCalls;
import dev.bridge.rpc.grpc.DynamicMethods;
import dev.bridge.rpc.grpc.DynamicService;
import dev.bridge.schema.ProtoFileLoader;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A go-plugin host as far as the broker goes, for the tests: it starts a plugin server with a given broker, connects
 * to it (with AutoMTLS when asked), opens the broker stream, offers services of its own by id (listening on Unix
 * sockets as go-plugin 1.0.1's {@code AcceptAndServe} does) and dials what the plugin offers.
 */
final class FakeHost implements AutoCloseable {
  static final HandshakeConfig HANDSHAKE = HandshakeConfig.of("BRIDGE_TEST_COOKIE", "b7", 1);
  static final String PROTO = """
      syntax = "proto3";
      package t;
      message N { int64 n = 1; string s = 2; }
      service Calc { rpc Add(N) returns (N); }
      """;

  final PluginServer plugin;
  final Descriptors.ServiceDescriptor calc;
  final Optional<SelfSignedCertificate> identity;
  final X509Certificate pluginCertificate;
  final BlockingQueue<ConnInfo> fromPlugin = new LinkedBlockingQueue<>();
  private final Path dir;
  private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
  private final ManagedChannel main;
  private final ClientCall<ConnInfo, ConnInfo> stream;
  private final List<Server> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final AtomicInteger sockets = new AtomicInteger();

  private FakeHost(Path dir, boolean mtls, GrpcBroker broker, Map<String, String> extraEnv) throws Exception {
    this.dir = dir;
    Path proto = Files.writeString(dir.resolve("calc.proto"), PROTO);
    calc = new ProtoFileLoader().load(List.of(proto), List.of()).service("t.Calc").orElseThrow();
    identity = mtls ? Optional.of(SelfSignedCertificate.generate()) : Optional.empty();
    Map<String, String> env = new HashMap<>();
    env.put(HANDSHAKE.magicCookieKey(), HANDSHAKE.magicCookieValue());
    env.put("PLUGIN_PROTOCOL_VERSIONS", "1");
    env.put("PLUGIN_UNIX_SOCKET_DIR", dir.toString());
    if (mtls) {
      env.put("PLUGIN_CLIENT_CERT", identity.get().certificatePem());
    }
    env.putAll(extraEnv);
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    plugin = PluginServer.start(PluginEnvironment.read(HANDSHAKE, env), List.of(),
        new PrintStream(stdout, true, StandardCharsets.UTF_8),
        PluginServerOptions.defaults().withHandleSignals(false), broker);
    HandshakeLine line = HandshakeLine.parse(stdout.toString(StandardCharsets.UTF_8).strip());
    pluginCertificate = mtls ? decode(line.serverCertificate()) : null;
    main = dial(line.address().address());
    stream = main.newCall(BrokerStreamService.START_STREAM, CallOptions.DEFAULT);
    stream.start(new ClientCall.Listener<>() {
      @Override
      public void onMessage(ConnInfo message) {
        fromPlugin.add(message);
      }

      @Override
      public void onClose(Status status, Metadata trailers) {}
    }, new Metadata());
    stream.request(Integer.MAX_VALUE);
  }

  /** A plugin served with {@code broker}, and this host connected to it. */
  static FakeHost start(Path dir, boolean mtls, GrpcBroker broker) throws Exception {
    return new FakeHost(dir, mtls, broker, Map.of());
  }

  /** The same with more variables in the plugin's environment. */
  static FakeHost start(Path dir, boolean mtls, GrpcBroker broker, Map<String, String> extraEnv) throws Exception {
    return new FakeHost(dir, mtls, broker, extraEnv);
  }

  /** Sends the plugin a message on the broker stream. */
  synchronized void send(ConnInfo info) {
    stream.sendMessage(info);
  }

  /** Serves Calc (Add answers n + {@code plus}) under {@code id}, as AcceptAndServe: listen, then tell the plugin. */
  Server offer(int id, long plus) throws Exception {
    Server server = listen(plus);
    send(ConnInfo.newBuilder().setServiceId(id).setNetwork("unix")
        .setAddress(((DomainSocketAddress) server.getListenSockets().get(0)).path()).build());
    return server;
  }

  /** Listens on a fresh Unix socket serving Calc, with the host's TLS (no client certificate asked, as 1.0.1). */
  Server listen(long plus) throws Exception {
    return listen(plus, identity.orElse(null));
  }

  /** The same presenting {@code certificate} (null: plain text). */
  synchronized Server listen(long plus, SelfSignedCertificate certificate) throws Exception {
    Path path = dir.resolve("host" + sockets.incrementAndGet());
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new DomainSocketAddress(path.toString()))
        .channelType(EpollServerDomainSocketChannel.class).bossEventLoopGroup(loop).workerEventLoopGroup(loop)
        .withChildOption(ChannelOption.SO_KEEPALIVE, null)
        .addService(calcService(plus));
    if (certificate != null) {
      builder.sslContext(GrpcSslContexts.configure(
          SslContextBuilder.forServer(keys(certificate)), SslProvider.JDK).build());
    }
    Server server = builder.build().start();
    servers.add(server);
    return server;
  }

  /** The next message the plugin sent on the broker stream. */
  ConnInfo nextFromPlugin() throws InterruptedException {
    ConnInfo info = fromPlugin.poll(10, TimeUnit.SECONDS);
    if (info == null) {
      throw new AssertionError("the plugin sent nothing on the broker stream within 10 s");
    }
    return info;
  }

  /** Calls Add on a plugin-offered connection, as the host's {@code broker.Dial(id)} client would. */
  long callAdd(ManagedChannel channel, long n) {
    DynamicMessage response = ClientCalls.blockingUnaryCall(channel,
        DynamicMethods.describe(calc.findMethodByName("Add")),
        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), number(n));
    return (Long) response.getField(response.getDescriptorForType().findFieldByName("n"));
  }

  /** Connects to a Unix socket the plugin listens on, presenting the host's certificate under AutoMTLS. */
  synchronized ManagedChannel dial(String socket) throws Exception {
    NettyChannelBuilder builder = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket))
        .channelType(EpollDomainSocketChannel.class).eventLoopGroup(loop)
        .withOption(ChannelOption.SO_KEEPALIVE, null).overrideAuthority("localhost");
    if (identity.isPresent()) {
      builder.sslContext(GrpcSslContexts.configure(SslContextBuilder.forClient().keyManager(keys(identity.get()))
          .trustManager(trust(pluginCertificate)), SslProvider.JDK).build());
    } else {
      builder.usePlaintext();
    }
    ManagedChannel channel = builder.build();
    channels.add(channel);
    return channel;
  }

  DynamicMessage number(long n) {
    Descriptors.Descriptor type = calc.findMethodByName("Add").getInputType();
    return DynamicMessage.newBuilder(type).setField(type.findFieldByName("n"), n).build();
  }

  ServerServiceDefinition calcService(long plus) {
    return DynamicService.bind(calc, handlers(plus));
  }

  Handlers handlers(long plus) {
    return new Handlers() {
      @Override
      public Optional<MethodHandler> find(Descriptors.MethodDescriptor method) {
        return Optional.of(ServerCalls.unary((request, context) -> java.util.concurrent.CompletableFuture
            .completedFuture(number((Long) request.getField(request.getDescriptorForType().findFieldByName("n"))
                + plus))));
      }

      @Override
      public String describeMissing(Descriptors.MethodDescriptor method) {
        return "";
      }
    };
  }

  /** Handlers with none: every method UNIMPLEMENTED. */
  static final class Handlerless implements Handlers {
    @Override
    public Optional<MethodHandler> find(Descriptors.MethodDescriptor method) {
      return Optional.empty();
    }

    @Override
    public String describeMissing(Descriptors.MethodDescriptor method) {
      return "none";
    }
  }

  @Override
  public synchronized void close() throws Exception {
    stream.cancel("test over", null);
    channels.forEach(ManagedChannel::shutdownNow);
    main.shutdownNow();
    servers.forEach(Server::shutdownNow);
    plugin.close();
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  static KeyManagerFactory keys(SelfSignedCertificate identity) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("k", identity.privateKey(), new char[0], new Certificate[] {identity.certificate()});
    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, new char[0]);
    return factory;
  }

  static TrustManagerFactory trust(X509Certificate certificate) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("c", certificate);
    TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
    factory.init(store);
    return factory;
  }

  static X509Certificate decode(String field) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(field)));
  }
}
