package dev.bridge.plugin.broker;

import dev.bridge.plugin.BoundServer;
import dev.bridge.plugin.ListenAddress;
import dev.bridge.plugin.ListenPlan;
import dev.bridge.plugin.SharedLoops;
import dev.bridge.plugin.internal.ConnInfo;
import dev.bridge.rpc.Broker;
import dev.bridge.rpc.CallFailure;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Brokered connections without multiplexing, as go-plugin's {@code GRPCBroker.Dial} and {@code Accept}: to dial an
 * id, wait for the host's offer of it and connect to the network and address it names; to serve one, listen as the
 * main server does ({@link ListenPlan}, same TLS) and send the host a {@code ConnInfo} with the address. All of them
 * run on one set of shared event loops.
 */
public final class SocketConnections implements BrokerConnections {
  private static final Logger LOG = Logger.getLogger(SocketConnections.class.getName());

  private final ConnInfoExchange exchange;
  private final ListenPlan listening;
  private final BrokerTls tls;
  private final int maxMessageSize;
  private final Duration timeout;
  private final SharedLoops loops;

  /**
   * @param maxMessageSize the largest message read on a brokered connection, either way
   * @param timeout how long to wait for the host's offer, or for its broker stream (go-plugin: 5 s)
   */
  public SocketConnections(ConnInfoExchange exchange, ListenPlan listening, BrokerTls tls, int maxMessageSize,
      Duration timeout) {
    this.exchange = Objects.requireNonNull(exchange, "exchange");
    this.listening = Objects.requireNonNull(listening, "listening");
    this.tls = Objects.requireNonNull(tls, "tls");
    this.maxMessageSize = maxMessageSize;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.loops = SharedLoops.create("plugin-broker");
  }

  public SocketConnections(ConnInfoExchange exchange, ListenPlan listening, BrokerTls tls, int maxMessageSize) {
    this(exchange, listening, tls, maxMessageSize, Broker.OFFER_TIMEOUT);
  }

  @Override
  public CompletableFuture<Dialed> dial(int id) {
    return exchange.offer(id, timeout).thenApply(offer -> connect(id, offer));
  }

  @Override
  public CompletableFuture<Serving> serve(int id, List<ServerServiceDefinition> services) {
    BoundServer bound;
    try {
      bound = listening.bind(builder -> {
        tls.server().ifPresent(builder::sslContext);
        // Handlers return at once (script calls queue to their JavaScript thread), as on the main server.
        builder.directExecutor().maxInboundMessageSize(maxMessageSize);
        services.forEach(builder::addService);
      }, Optional.of(loops));
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(new CallFailure("UNAVAILABLE",
          "could not listen for broker id " + Integer.toUnsignedString(id) + ": " + e.getMessage(), e));
    }
    ListenAddress address = bound.address();
    ServingSocket serving = new ServingSocket(bound, describe(id, address.network(), address.address()));
    ConnInfo info = ConnInfo.newBuilder()
        .setServiceId(id).setNetwork(address.network()).setAddress(address.address()).build();
    return exchange.send(info, timeout).handle((sent, failure) -> {
      if (failure != null) {
        serving.stopQuietly();
        throw failure instanceof RuntimeException runtime ? runtime : new CallFailure("UNAVAILABLE",
            failure.toString(), failure);
      }
      LOG.log(Level.FINE, "serving through the broker", Map.of(
          "service_id", Integer.toUnsignedLong(id), "network", address.network(), "address", address.address()));
      return serving;
    });
  }

  @Override
  public void close() {
    loops.close();
  }

  private Dialed connect(int id, ConnInfo offer) {
    String description = describe(id, offer.getNetwork(), offer.getAddress());
    NettyChannelBuilder builder;
    try {
      builder = switch (offer.getNetwork()) {
        case ListenAddress.UNIX -> {
          if (!loops.epoll()) {
            throw new IllegalArgumentException("Unix sockets cannot be dialed here (no epoll)");
          }
          yield NettyChannelBuilder.forAddress(new DomainSocketAddress(offer.getAddress()))
              .channelType(EpollDomainSocketChannel.class)
              // grpc-java asks for TCP keepalive, which a Unix socket lacks: Netty would warn into the host's log.
              .withOption(ChannelOption.SO_KEEPALIVE, null);
        }
        case ListenAddress.TCP -> NettyChannelBuilder.forAddress(tcpAddress(offer.getAddress()))
            .channelType(loops.epoll() ? EpollSocketChannel.class : NioSocketChannel.class);
        default -> throw new IllegalArgumentException("unknown network '" + offer.getNetwork() + "'");
      };
    } catch (IllegalArgumentException e) {
      throw new CallFailure("UNAVAILABLE", "cannot dial " + description + ": " + e.getMessage(), e);
    }
    builder.eventLoopGroup(loops.workers());
    ManagedChannel channel = tls.channelToHost(builder, maxMessageSize);
    // Connect now rather than at the first call, as go-plugin's Dial does, so that the first call finds it ready.
    channel.getState(true);
    LOG.log(Level.FINE, "dialed through the broker", Map.of(
        "service_id", Integer.toUnsignedLong(id), "network", offer.getNetwork(), "address", offer.getAddress()));
    return new Dialed(channel, description);
  }

  private static SocketAddress tcpAddress(String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("'" + address + "' is not host:port");
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + address + "' has no port number");
    }
    return new InetSocketAddress(host, port);
  }

  static String describe(int id, String network, String address) {
    return "broker id " + Integer.toUnsignedString(id) + " (" + network + " " + address + ")";
  }

  /** A brokered server on its own socket. */
  private static final class ServingSocket implements Serving {
    private final BoundServer bound;
    private final String description;

    ServingSocket(BoundServer bound, String description) {
      this.bound = bound;
      this.description = description;
    }

    @Override
    public String description() {
      return description;
    }

    @Override
    public void stop(Duration grace) throws InterruptedException {
      Server server = bound.server();
      server.shutdown();
      if (!server.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS)) {
        server.shutdownNow();
        server.awaitTermination(1, TimeUnit.SECONDS);
      }
      try {
        bound.release(Duration.ofSeconds(1));
      } catch (IOException e) {
        LOG.log(Level.WARNING, "could not remove a brokered server's socket", Map.of(
            "server", description, "error", String.valueOf(e)));
      }
    }

    void stopQuietly() {
      try {
        stop(Duration.ZERO);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
