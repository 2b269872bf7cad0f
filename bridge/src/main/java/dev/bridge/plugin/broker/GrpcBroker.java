package dev.bridge.plugin.broker;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.bridge.rpc.Broker;
import dev.bridge.rpc.BrokeredService;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.Handlers;
import dev.bridge.rpc.RemoteChannel;
import dev.bridge.rpc.grpc.DynamicService;
import dev.bridge.rpc.grpc.GrpcRemoteChannel;
import io.grpc.ServerServiceDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * go-plugin's {@code GRPCBroker}, plugin side: dials the services the host offers by id and serves the script's
 * services to the host under ids of its own ({@link #nextId()}), over the host's {@code StartStream} stream
 * ({@link ConnInfoExchange}) and brokered connections ({@link BrokerConnections}).
 *
 * <p>It exists before the server does, so that the script, loaded first, can be given it: until the server
 * {@linkplain #attach attaches} the connections, a dial waits (no offer can come before the host connects anyway) and
 * a serve waits up to the time limit. {@link #close()} (at shutdown) stops every brokered server and channel.
 */
public final class GrpcBroker implements Broker, AutoCloseable {
  /** How long a brokered server's calls may finish when it is stopped. */
  static final Duration STOP_GRACE = Duration.ofMillis(500);
  private static final Logger LOG = Logger.getLogger(GrpcBroker.class.getName());

  private final ConnInfoExchange exchange = new ConnInfoExchange();
  private final Duration timeout;
  private final CompletableFuture<BrokerConnections> connections = new CompletableFuture<>();
  private final AtomicInteger nextId = new AtomicInteger();
  private final Set<GrpcRemoteChannel> channels = ConcurrentHashMap.newKeySet();
  private final Set<ServedId> served = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** A broker with go-plugin's 5 s time limits. */
  public GrpcBroker() {
    this(Broker.OFFER_TIMEOUT);
  }

  /** @param timeout how long a dial waits for the host's offer, a serve for the server and the host's stream */
  public GrpcBroker(Duration timeout) {
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** The broker stream's messages, which the server serves ({@link ConnInfoExchange#stream()}). */
  public ConnInfoExchange exchange() {
    return exchange;
  }

  /** The server is up: brokered connections are made by {@code made}, which this broker closes at the end. */
  public void attach(BrokerConnections made) {
    if (closed) {
      made.close();
      throw new IllegalStateException("the broker is closed");
    }
    if (!connections.complete(Objects.requireNonNull(made, "made"))) {
      throw new IllegalStateException("the broker's connections are attached already");
    }
  }

  /** A fresh id to serve under, as go-plugin's {@code NextId}: 1, 2, ... (uint32, wrapping). */
  public int nextId() {
    return nextId.incrementAndGet();
  }

  @Override
  public CompletableFuture<RemoteChannel> dial(long id) {
    if (id < 0 || id > 0xFFFF_FFFFL) {
      return failed(new CallFailure("INVALID_ARGUMENT",
          "broker id " + id + " is out of range: ids are 32-bit unsigned (0 to 4294967295)"));
    }
    if (closed) {
      return failed(new CallFailure("UNAVAILABLE", "cannot dial broker id " + id + ": the broker is closed"));
    }
    int wireId = (int) id;
    // How a dial waits is the connections' business: for an offer without multiplexing (SocketConnections), for the
    // ack of a knock with it (MultiplexedConnections). Both come only once the server is attached.
    CompletableFuture<RemoteChannel> dialed = connections.copy()
        .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .exceptionallyCompose(failure -> CompletableFuture.failedFuture(new CallFailure("UNAVAILABLE",
            "cannot dial broker id " + Integer.toUnsignedString(wireId) + ": the plugin was not serving within "
                + ConnInfoExchange.seconds(timeout))))
        .thenCompose(made -> made.dial(wireId))
        .thenApply(this::track);
    return settled(dialed);
  }

  @Override
  public CompletableFuture<BrokeredService> serve(List<ServiceDescriptor> services, Handlers handlers) {
    if (closed) {
      return failed(new CallFailure("UNAVAILABLE", "cannot serve through the broker: it is closed"));
    }
    if (services.isEmpty()) {
      return failed(new CallFailure("INVALID_ARGUMENT", "broker.serve needs at least one service"));
    }
    List<ServerServiceDefinition> definitions =
        services.stream().map(service -> DynamicService.bind(service, handlers)).toList();
    List<String> names = services.stream().map(ServiceDescriptor::getFullName).toList();
    int id = nextId();
    CompletableFuture<BrokeredService> serving = connections.copy()
        .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .exceptionallyCompose(failure -> CompletableFuture.failedFuture(new CallFailure("UNAVAILABLE",
            "cannot serve " + String.join(", ", names) + " through the broker: the plugin was not serving within "
                + ConnInfoExchange.seconds(timeout)
                + " (broker.serve works once the script has loaded: call it from a handler)")))
        .thenCompose(made -> made.serve(id, definitions))
        .thenApply(running -> track(id, names, running));
    return settled(serving);
  }

  /** Stops every brokered server and channel and ends the host's broker streams; later dials and serves fail. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    exchange.close("the plugin is shutting down");
    for (GrpcRemoteChannel channel : List.copyOf(channels)) {
      channel.close();
    }
    List<Thread> stopping = new ArrayList<>();
    for (ServedId service : List.copyOf(served)) {
      stopping.add(Thread.ofPlatform().daemon().name("broker-stop-" + service.id()).start(service::close));
    }
    try {
      for (Thread thread : stopping) {
        thread.join(STOP_GRACE.plusSeconds(2).toMillis());
      }
      for (GrpcRemoteChannel channel : List.copyOf(channels)) {
        channel.awaitTermination(Duration.ofSeconds(1));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    BrokerConnections made = connections.getNow(null);
    if (made != null) {
      made.close();
    } else {
      connections.completeExceptionally(new CallFailure("UNAVAILABLE", "the broker is closed"));
    }
  }

  /** Brokered channels open now (for tests and logs). */
  public int openChannels() {
    return channels.size();
  }

  /** Brokered servers running now (for tests and logs). */
  public int servedIds() {
    return served.size();
  }

  private RemoteChannel track(BrokerConnections.Dialed dialed) {
    GrpcRemoteChannel[] self = new GrpcRemoteChannel[1];
    GrpcRemoteChannel channel =
        new GrpcRemoteChannel(dialed.channel(), dialed.description(), () -> channels.remove(self[0]));
    self[0] = channel;
    channels.add(channel);
    if (closed) {
      // Closed while dialing: nothing may outlive the broker.
      channel.close();
    }
    return channel;
  }

  private BrokeredService track(int id, List<String> names, BrokerConnections.Serving running) {
    ServedId service = new ServedId(Integer.toUnsignedLong(id), names, running);
    served.add(service);
    if (closed) {
      service.close();
    }
    return service;
  }

  /** The future failing with the bare {@link CallFailure} (not wrapped), as callers of the interface expect. */
  private static <T> CompletableFuture<T> settled(CompletableFuture<T> future) {
    CompletableFuture<T> result = new CompletableFuture<>();
    future.whenComplete((value, failure) -> {
      if (failure == null) {
        result.complete(value);
      } else {
        result.completeExceptionally(callFailure(failure));
      }
    });
    return result;
  }

  private static Throwable callFailure(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof CallFailure) {
      return cause;
    }
    return new CallFailure("UNAVAILABLE", String.valueOf(cause.getMessage()), cause);
  }

  private static <T> CompletableFuture<T> failed(CallFailure failure) {
    return CompletableFuture.failedFuture(failure);
  }

  /** A service served under an id until closed. */
  private final class ServedId implements BrokeredService {
    private final long id;
    private final List<String> names;
    private final BrokerConnections.Serving running;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile boolean closing;

    ServedId(long id, List<String> names, BrokerConnections.Serving running) {
      this.id = id;
      this.names = names;
      this.running = running;
    }

    @Override
    public long id() {
      return id;
    }

    /** Stops serving: running calls get {@link #STOP_GRACE} to finish; returns once the listener is gone. */
    @Override
    public void close() {
      synchronized (this) {
        if (closing) {
          stopped.join();
          return;
        }
        closing = true;
      }
      try {
        running.stop(STOP_GRACE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        served.remove(this);
        stopped.complete(null);
        LOG.log(Level.FINE, "stopped serving through the broker", Map.of(
            "service_id", id, "services", names, "server", running.description()));
      }
    }

    @Override
    public String toString() {
      return "BrokeredService[" + String.join(", ", names) + " on " + running.description() + "]";
    }
  }
}
