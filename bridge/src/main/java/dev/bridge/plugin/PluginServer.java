package dev.bridge.plugin;

import dev.bridge.plugin.broker.BrokerStreamService;
import dev.bridge.plugin.broker.BrokerTls;
import dev.bridge.plugin.broker.GrpcBroker;
import dev.bridge.plugin.broker.MultiplexedConnections;
import dev.bridge.plugin.broker.SocketConnections;
import dev.bridge.plugin.mux.ServerMuxer;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.io.PrintStream;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A running go-plugin gRPC plugin: the listener the host connects to, go-plugin's internal services (health,
 * controller, stdio, broker), server reflection ({@link ServerReflection}) and the caller's services, announced to the
 * host by the handshake line.
 *
 * <p>Lifecycle: {@link #start} returns once the handshake is printed. The host ends the plugin by calling the
 * controller's Shutdown ({@link #shutdownRequested()} completes, then the server stops by itself); the program may stop
 * it too with {@link #shutdown()}. {@link #terminated()} completes once the server is down, the socket file removed and
 * the event loops stopped: that is when the process should exit 0.
 */
public final class PluginServer implements AutoCloseable {
  /** The health service name go-plugin hosts check (and the one reported SERVING). */
  public static final String HEALTH_SERVICE_NAME = "plugin";

  private static final Set<String> RESERVED_SERVICES =
      Set.of(
          "grpc.health.v1.Health",
          GrpcControllerService.SERVICE,
          GrpcStdioService.SERVICE,
          BrokerStreamService.SERVICE,
          ServerReflection.V1,
          ServerReflection.V1ALPHA);
  private static final Logger LOG = Logger.getLogger(PluginServer.class.getName());

  private final BoundServer bound;
  private final Optional<ServerMuxer> muxer;
  private final HandshakeLine handshake;
  private final HealthStatusManager health;
  private final GrpcBroker broker;
  private final StdioPublisher stdio;
  private final SwappableServices userServices;
  private final Duration grace;
  private final CompletableFuture<Void> shutdownRequested = new CompletableFuture<>();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private volatile Thread shutdownHook;

  private PluginServer(
      BoundServer bound,
      Optional<ServerMuxer> muxer,
      HandshakeLine handshake,
      HealthStatusManager health,
      GrpcBroker broker,
      SwappableServices userServices,
      PluginServerOptions options) {
    this.bound = bound;
    this.muxer = muxer;
    this.handshake = handshake;
    this.health = health;
    this.broker = broker;
    this.stdio = options.stdio();
    this.userServices = userServices;
    this.grace = options.shutdownGrace();
  }

  /**
   * Binds, starts serving and prints the handshake line on {@code handshakeOut} (the process's real stdout).
   *
   * @param environment what the host asked for (see {@link PluginEnvironment#read})
   * @param services the plugin's own services; names of go-plugin's internal services are refused
   * @param handshakeOut receives exactly one line, once the server accepts connections, and nothing else
   * @throws IOException when no listener could be bound or the handshake could not be written
   * @throws GeneralSecurityException when the AutoMTLS certificate could not be made
   */
  public static PluginServer start(
      PluginEnvironment environment,
      List<ServerServiceDefinition> services,
      PrintStream handshakeOut,
      PluginServerOptions options)
      throws IOException, GeneralSecurityException {
    return start(environment, services, handshakeOut, options, new GrpcBroker());
  }

  /**
   * The same with {@code broker} serving go-plugin's broker (made beforehand, for the script loaded before the
   * server starts): the server attaches its connections, which listen as the server does and use its TLS, and closes
   * it when it stops.
   */
  public static PluginServer start(
      PluginEnvironment environment,
      List<ServerServiceDefinition> services,
      PrintStream handshakeOut,
      PluginServerOptions options,
      GrpcBroker broker)
      throws IOException, GeneralSecurityException {
    checkServiceNames(services);
    reportNegotiation(environment.negotiated());

    Optional<SslContext> tls = Optional.empty();
    BrokerTls brokerTls = BrokerTls.plaintext();
    String certificateField = "";
    if (environment.autoMtls()) {
      LOG.log(Level.FINE, "configuring server automatic mTLS", Map.of());
      AutoMtlsSetup setup = options.autoMtls().isPresent()
          ? AutoMtlsSetup.await(options.autoMtls().get())
          : AutoMtlsSetup.create(environment.clientCertificates());
      tls = Optional.of(setup.server());
      brokerTls = new BrokerTls(tls, Optional.of(setup.brokerClient()));
      certificateField = setup.certificateField();
    }
    Optional<SslContext> serverTls = tls;

    HealthStatusManager health = new HealthStatusManager();
    health.setStatus(HEALTH_SERVICE_NAME, ServingStatus.SERVING);
    SwappableServices registry = new SwappableServices();
    registry.replaceAll(services);
    // The controller needs the server it stops, which exists only after binding.
    CompletableFuture<PluginServer> self = new CompletableFuture<>();
    ServerServiceDefinition controller =
        GrpcControllerService.definition(() -> self.thenAccept(PluginServer::onHostShutdown));

    Consumer<NettyServerBuilder> configure =
        builder -> {
          serverTls.ifPresent(builder::sslContext);
          builder
              // Every handler here returns at once (script calls are queued to their JS thread), so calls
              // start on the transport's thread instead of hopping to a pool first.
              .directExecutor()
              .maxInboundMessageSize(options.maxInboundMessageSize())
              .addService(health.getHealthService())
              .addService(controller)
              .addService(GrpcStdioService.definition(options.stdio()))
              .addService(broker.exchange().stream().definition())
              .fallbackHandlerRegistry(registry);
          ServerReflection.definitions().forEach(builder::addService);
        };

    ListenPlan listening = ListenPlan.of(environment, options.forceTcp());
    BoundServer bound;
    Optional<ServerMuxer> muxer = Optional.empty();
    Optional<Boolean> multiplex = Optional.empty();
    if (environment.multiplexRequested()) {
      // A newer host asked for go-plugin's broker multiplexing: one yamux session on the one connection it makes,
      // brokered connections included.
      MultiplexedListener.Bound multiplexed = MultiplexedListener.bind(environment, listening.tcp(), configure);
      bound = multiplexed.server();
      muxer = Optional.of(multiplexed.muxer());
      multiplex = Optional.of(true);
      broker.attach(new MultiplexedConnections(
          broker.exchange(), multiplexed.muxer(), brokerTls, options.maxInboundMessageSize()));
    } else {
      bound = listening.bind(configure);
      // Brokered servers listen as this one does, with its TLS.
      broker.attach(new SocketConnections(broker.exchange(), listening, brokerTls, options.maxInboundMessageSize()));
    }

    HandshakeLine line =
        new HandshakeLine(environment.appProtocolVersion(), bound.address(), certificateField, multiplex);
    PluginServer server = new PluginServer(bound, muxer, line, health, broker, registry, options);
    self.complete(server);
    try {
      if (options.handleSignals()) {
        Signals.ignoreInterrupt();
        server.installShutdownHook();
      }
      LOG.log(
          Level.FINE,
          "plugin address",
          Map.of("network", bound.address().network(), "address", bound.address().address()));
      handshakeOut.print(line.format() + "\n");
      // checkError also flushes; a host that cannot read the line will never connect, so there is no point going on.
      if (handshakeOut.checkError()) {
        throw new IOException("could not write the handshake line to stdout");
      }
    } catch (IOException | RuntimeException e) {
      // Do not leave a listening server (and its socket file) behind a failed start.
      server.shutdown();
      throw e;
    }
    return server;
  }

  /** The handshake as printed. */
  public HandshakeLine handshake() {
    return handshake;
  }

  /** Where the server listens. */
  public ListenAddress address() {
    return bound.address();
  }

  /** The multiplexed session's router, when the host asked for multiplexing. */
  public Optional<ServerMuxer> muxer() {
    return muxer;
  }

  /** go-plugin's broker, serving as long as the server does. */
  public GrpcBroker broker() {
    return broker;
  }

  /** Where plugin output goes to reach the host. */
  public StdioPublisher stdio() {
    return stdio;
  }

  /**
   * Replaces the plugin's own services (for a dev mode that reloads them). Calls already running finish on the old
   * definitions; new calls see the new ones.
   */
  public synchronized void replaceServices(List<ServerServiceDefinition> services) {
    checkServiceNames(services);
    userServices.replaceAll(services);
  }

  /** Completes when the host called the controller's Shutdown; the server then stops by itself. */
  public CompletableFuture<Void> shutdownRequested() {
    return shutdownRequested.copy();
  }

  /** Completes when the server has stopped and its resources (socket file, event loops) are released. */
  public CompletableFuture<Void> terminated() {
    return terminated.copy();
  }

  /**
   * Begins a graceful stop if none is under way: refuse new calls, let running ones finish within the grace period,
   * then cut them. Returns at once; see {@link #terminated()}.
   */
  public CompletableFuture<Void> shutdown() {
    if (stopping.compareAndSet(false, true)) {
      Thread.ofPlatform().name("plugin-shutdown").daemon(true).start(this::stop);
    }
    return terminated();
  }

  /** Waits until the server is down and its resources released. */
  public void awaitTermination() throws InterruptedException {
    try {
      terminated.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the plugin server failed while stopping", e.getCause());
    }
  }

  /** Waits at most {@code timeout}; true when the server terminated in time. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    try {
      terminated.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException("the plugin server failed while stopping", e.getCause());
    }
  }

  /** Stops and waits (bounded by twice the grace period plus a little). */
  @Override
  public void close() throws InterruptedException {
    shutdown();
    awaitTermination(grace.multipliedBy(2).plusSeconds(2));
  }

  private void onHostShutdown() {
    LOG.log(Level.FINE, "the host asked the plugin to shut down", Map.of());
    shutdownRequested.complete(null);
    shutdown();
  }

  private void stop() {
    Server server = bound.server();
    Map<String, Object> problems = new LinkedHashMap<>();
    try {
      health.enterTerminalState();
      // These streams last as long as the host's connection; ending them lets the graceful stop finish. The broker
      // also stops its servers and channels, which the host's Kill() would otherwise find still open.
      stdio.close();
      broker.close();
      server.shutdown();
      if (!server.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS)) {
        LOG.log(Level.FINE, "calls still running after the grace period; cancelling them", Map.of());
        server.shutdownNow();
        if (!server.awaitTermination(1, TimeUnit.SECONDS)) {
          problems.put("server", "did not terminate within 1 s of being cut off");
        }
      }
      try {
        bound.release(Duration.ofSeconds(1));
      } catch (IOException e) {
        problems.put("cleanup", String.valueOf(e));
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      problems.put("interrupted", "stop was interrupted; calls were cut off");
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      problems.put("error", String.valueOf(e));
      server.shutdownNow();
    } finally {
      removeShutdownHook();
      if (problems.isEmpty()) {
        LOG.log(Level.FINE, "plugin server stopped", Map.of());
      } else {
        LOG.log(Level.WARNING, "plugin server stopped uncleanly", problems);
      }
      terminated.complete(null);
    }
  }

  private void installShutdownHook() {
    Thread hook =
        Thread.ofPlatform()
            .name("plugin-sigterm")
            .unstarted(
                () -> {
                  shutdown();
                  try {
                    // Bounded: the JVM is exiting anyway; this only gives calls and clean-up their chance.
                    awaitTermination(grace.plusSeconds(2));
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    shutdownHook = hook;
    Runtime.getRuntime().addShutdownHook(hook);
  }

  private void removeShutdownHook() {
    Thread hook = shutdownHook;
    if (hook == null || Thread.currentThread() == hook) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already exiting and running the hook, which will find the server terminated.
      LOG.log(Level.FINEST, "shutdown hook left in place: JVM already exiting", Map.of());
    }
  }

  private static void reportNegotiation(ProtocolVersions.Negotiated negotiated) {
    for (String warning : negotiated.warnings()) {
      LOG.log(Level.WARNING, warning, Map.of());
    }
    if (!negotiated.agreed()) {
      // Not fatal, as in go-plugin: the host knows which versions it wants and will say so to its user.
      LOG.log(
          Level.WARNING,
          "the host listed none of this plugin's app protocol versions; announcing the lowest one",
          Map.of("version", negotiated.version(), "variable", ProtocolVersions.ENV));
    }
  }

  private static void checkServiceNames(List<ServerServiceDefinition> services) {
    Set<String> seen = new HashSet<>();
    for (ServerServiceDefinition service : services) {
      String name = service.getServiceDescriptor().getName();
      if (RESERVED_SERVICES.contains(name)) {
        throw new IllegalArgumentException(
            "service " + name + " is served by the plugin protocol itself and cannot be replaced");
      }
      if (!seen.add(name)) {
        throw new IllegalArgumentException("service " + name + " is given twice");
      }
    }
  }
}
