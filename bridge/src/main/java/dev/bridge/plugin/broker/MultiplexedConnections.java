package dev.bridge.plugin.broker;

import dev.bridge.plugin.internal.ConnInfo;
import dev.bridge.plugin.mux.InJvmLoops;
import dev.bridge.plugin.mux.ServerMuxer;
import dev.bridge.plugin.mux.StreamDialer;
import dev.bridge.rpc.Broker;
import dev.bridge.rpc.CallFailure;
import dev.bridge.yamux.YamuxStream;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.local.LocalAddress;
import io.grpc.netty.shaded.io.netty.channel.local.LocalChannel;
import io.grpc.netty.shaded.io.netty.channel.local.LocalServerChannel;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Brokered connections with multiplexing, as go-plugin's broker does them over its {@code internal/grpcmux}: every
 * connection is a stream of the one yamux session, and ids travel as knocks on the broker stream.
 *
 * <p>Dialing a host-offered id: send {@code {id, knock}}, wait (5 s) for the host's ack, then open a stream, which the
 * host hands to its listener for that id. The host routes streams by the order of knocks, so knock-and-open happens
 * one at a time (go-plugin's dial mutex), for every connection the gRPC channel makes, its first made at once so
 * that a refusal or a silent host fails the dial clearly.
 *
 * <p>Serving an id: nothing is sent; when the host knocks for the id, the next stream it opens is routed to that
 * id's server ({@link ServerMuxer#expectStream}) before the knock is acknowledged. Servers and dialed channels run in
 * the JVM, configured as the main server and as {@link SocketConnections} dials are (TLS, message size).
 */
public final class MultiplexedConnections implements BrokerConnections {
  private static final Logger LOG = Logger.getLogger(MultiplexedConnections.class.getName());

  private final ConnInfoExchange exchange;
  private final ServerMuxer muxer;
  private final BrokerTls tls;
  private final int maxMessageSize;
  private final Duration timeout;
  // One knock-and-open at a time: the host gives the next stream to whichever id it acknowledged last.
  private final ReentrantLock dialing = new ReentrantLock(true);

  public MultiplexedConnections(
      ConnInfoExchange exchange, ServerMuxer muxer, BrokerTls tls, int maxMessageSize, Duration timeout) {
    this.exchange = Objects.requireNonNull(exchange, "exchange");
    this.muxer = Objects.requireNonNull(muxer, "muxer");
    this.tls = Objects.requireNonNull(tls, "tls");
    this.maxMessageSize = maxMessageSize;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  public MultiplexedConnections(ConnInfoExchange exchange, ServerMuxer muxer, BrokerTls tls, int maxMessageSize) {
    this(exchange, muxer, tls, maxMessageSize, Broker.OFFER_TIMEOUT);
  }

  @Override
  public CompletableFuture<Dialed> dial(int id) {
    return CompletableFuture.supplyAsync(() -> connect(id), command -> Thread.ofVirtual().start(command));
  }

  @Override
  public CompletableFuture<Serving> serve(int id, List<ServerServiceDefinition> services) {
    LocalAddress address = InJvmLoops.freshAddress("broker-" + Integer.toUnsignedString(id));
    NettyServerBuilder builder = NettyServerBuilder.forAddress(address)
        .channelType(LocalServerChannel.class)
        .bossEventLoopGroup(muxer.loops())
        .workerEventLoopGroup(muxer.loops())
        .withChildOption(ChannelOption.SO_KEEPALIVE, null)
        // Handlers return at once (script calls queue to their JavaScript thread), as on the main server.
        .directExecutor()
        .maxInboundMessageSize(maxMessageSize);
    tls.server().ifPresent(builder::sslContext);
    services.forEach(builder::addService);
    Server server = builder.build();
    try {
      server.start();
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(new CallFailure("UNAVAILABLE",
          "could not serve broker id " + Integer.toUnsignedString(id) + ": " + e.getMessage(), e));
    }
    AutoCloseable knocks = exchange.onKnock(id, knock -> {
      muxer.expectStream(id, address);
      ConnInfo ack = ConnInfo.newBuilder().setServiceId(id)
          .setKnock(ConnInfo.Knock.newBuilder().setKnock(true).setAck(true)).build();
      exchange.send(ack, timeout).whenComplete((sent, failure) -> {
        if (failure != null) {
          LOG.log(Level.FINE, "could not acknowledge the host's knock", Map.of(
              "service_id", Integer.toUnsignedLong(id), "error", String.valueOf(failure.getMessage())));
        }
      });
    });
    LOG.log(Level.FINE, "serving through the multiplexed broker", Map.of("service_id", Integer.toUnsignedLong(id)));
    return CompletableFuture.completedFuture(new ServingStreams(describe(id), server, knocks));
  }

  /** Nothing of its own to release: the in-JVM loops belong to the muxer, which the main server closes. */
  @Override
  public void close() {}

  private Dialed connect(int id) {
    String description = describe(id);
    // The first connection's stream, opened here so that a refusal fails the dial; later ones knock again.
    AtomicReference<YamuxStream> first = new AtomicReference<>(knockAndOpen(id));
    StreamDialer dialer;
    try {
      dialer = StreamDialer.start(muxer.loops(), "broker-" + Integer.toUnsignedString(id), () -> {
        YamuxStream ready = first.getAndSet(null);
        return ready != null ? ready : knockAndOpen(id);
      });
    } catch (IOException e) {
      throw new CallFailure("UNAVAILABLE", "cannot dial " + description + ": " + e.getMessage(), e);
    }
    NettyChannelBuilder builder = NettyChannelBuilder.forAddress(dialer.address())
        .channelType(LocalChannel.class)
        .eventLoopGroup(muxer.loops())
        // In-JVM channels have no TCP keepalive; without this Netty warns once per connection.
        .withOption(ChannelOption.SO_KEEPALIVE, null);
    ManagedChannel channel = tls.channelToHost(builder, maxMessageSize);
    closeWhenShutDown(channel, dialer, first);
    channel.getState(true);
    LOG.log(Level.FINE, "dialed through the multiplexed broker", Map.of("service_id", Integer.toUnsignedLong(id)));
    return new Dialed(channel, description);
  }

  /** Knocks for {@code id}, waits for the host's ack, and opens the stream it will route to that id. */
  private YamuxStream knockAndOpen(int id) {
    String name = Integer.toUnsignedString(id);
    dialing.lock();
    try {
      // The exchange's own limit is a backstop; this wait says what a silent host means for a dial, as without
      // multiplexing: a go-plugin host leaves a knock for an id it does not serve unanswered.
      CompletableFuture<ConnInfo> reply = exchange.nextReply(id, timeout.plusSeconds(1));
      ConnInfo knock = ConnInfo.newBuilder().setServiceId(id)
          .setKnock(ConnInfo.Knock.newBuilder().setKnock(true)).build();
      ConnInfo ack;
      try {
        exchange.send(knock, timeout).get();
        ack = reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        throw new CallFailure("UNAVAILABLE", "the host offered no connection under broker id " + name + " within "
            + ConnInfoExchange.seconds(timeout) + " (it did not acknowledge the knock)");
      } catch (ExecutionException e) {
        throw e.getCause() instanceof CallFailure failure ? failure
            : new CallFailure("UNAVAILABLE", "knocking for broker id " + name + " failed: " + e.getCause(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CallFailure("UNAVAILABLE", "interrupted while knocking for broker id " + name, e);
      }
      if (!ack.hasKnock() || !ack.getKnock().getAck()) {
        throw new CallFailure("UNAVAILABLE", "the host answered the knock for broker id " + name
            + " with something other than an acknowledgement");
      }
      if (!ack.getKnock().getError().isEmpty()) {
        throw new CallFailure("UNAVAILABLE", "the host refused broker id " + name + ": " + ack.getKnock().getError());
      }
      try {
        return muxer.openStream();
      } catch (IOException e) {
        throw new CallFailure("UNAVAILABLE", "could not open a stream for broker id " + name + ": " + e.getMessage(), e);
      }
    } finally {
      dialing.unlock();
    }
  }

  /**
   * Follows the channel's states until it is shut down, then stops the in-JVM address it dials and resets the first
   * stream if no connection took it.
   */
  private static void closeWhenShutDown(
      ManagedChannel channel, StreamDialer dialer, AtomicReference<YamuxStream> unused) {
    ConnectivityState now = channel.getState(false);
    if (now == ConnectivityState.SHUTDOWN) {
      dialer.close();
      YamuxStream stream = unused.getAndSet(null);
      if (stream != null) {
        try {
          stream.reset();
        } catch (IOException e) {
          LOG.log(Level.FINE, "could not reset an unused stream", Map.of("error", String.valueOf(e.getMessage())));
        }
      }
      return;
    }
    channel.notifyWhenStateChanged(now, () -> closeWhenShutDown(channel, dialer, unused));
  }

  static String describe(int id) {
    return "broker id " + Integer.toUnsignedString(id) + " (multiplexed)";
  }

  /** A brokered server reached through streams of the session. */
  private record ServingStreams(String description, Server server, AutoCloseable knocks) implements Serving {
    @Override
    public void stop(Duration grace) throws InterruptedException {
      try {
        knocks.close();
      } catch (Exception e) {
        LOG.log(Level.FINE, "could not stop listening for knocks", Map.of("error", String.valueOf(e)));
      }
      server.shutdown();
      if (!server.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS)) {
        server.shutdownNow();
        server.awaitTermination(1, TimeUnit.SECONDS);
      }
    }
  }
}
