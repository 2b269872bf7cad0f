package dev.bridge.rpc;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The part of a broker one plugin version uses: the channels it dialed and the services it serves, closed together
 * with {@link #close(String)} when the version ends (a dev reload replaced it, or the plugin shuts down), while the
 * broker itself serves on for the next version. A channel closed this way fails its calls, those in progress and
 * later ones, with UNAVAILABLE "the connection to broker id N was closed by a reload" (the reason given).
 */
public final class ScopedBroker implements Broker, AutoCloseable {
  private final Broker broker;
  private final Set<ScopedChannel> channels = ConcurrentHashMap.newKeySet();
  private final Set<BrokeredService> services = ConcurrentHashMap.newKeySet();
  private volatile String closedReason;

  public ScopedBroker(Broker broker) {
    this.broker = Objects.requireNonNull(broker, "broker");
  }

  @Override
  public CompletableFuture<RemoteChannel> dial(long id) {
    String reason = closedReason;
    if (reason != null) {
      return CompletableFuture.failedFuture(closed(id, reason));
    }
    return broker.dial(id).thenApply(channel -> {
      ScopedChannel scoped = new ScopedChannel(id, channel);
      channels.add(scoped);
      String late = closedReason;
      if (late != null) {
        scoped.closeFor(late);
      }
      return scoped;
    });
  }

  @Override
  public CompletableFuture<BrokeredService> serve(List<ServiceDescriptor> services, Handlers handlers) {
    String reason = closedReason;
    if (reason != null) {
      return CompletableFuture.failedFuture(new CallFailure("UNAVAILABLE", "cannot serve through the broker: "
          + reason));
    }
    return broker.serve(services, handlers).thenApply(service -> {
      BrokeredService scoped = new BrokeredService() {
        @Override
        public long id() {
          return service.id();
        }

        @Override
        public void close() {
          ScopedBroker.this.services.remove(this);
          service.close();
        }

        @Override
        public String toString() {
          return service.toString();
        }
      };
      this.services.add(scoped);
      if (closedReason != null) {
        scoped.close();
      }
      return scoped;
    });
  }

  /**
   * Closes every channel and service of this scope; later dials and serves fail.
   *
   * @param reason how the failures of its channels' calls end: "closed by a reload"
   */
  public void close(String reason) {
    closedReason = Objects.requireNonNull(reason, "reason");
    for (ScopedChannel channel : List.copyOf(channels)) {
      channel.closeFor(reason);
    }
    for (BrokeredService service : List.copyOf(services)) {
      service.close();
    }
  }

  /** Closes with the reason "closed because the plugin is stopping". */
  @Override
  public void close() {
    close("closed because the plugin is stopping");
  }

  /** Channels open in this scope (for tests). */
  public int openChannels() {
    return channels.size();
  }

  private static CallFailure closed(long id, String reason) {
    return new CallFailure("UNAVAILABLE", "the connection to broker id " + id + " was " + reason);
  }

  private final class ScopedChannel implements RemoteChannel {
    private final long id;
    private final RemoteChannel channel;
    private volatile String reason;

    ScopedChannel(long id, RemoteChannel channel) {
      this.id = id;
      this.channel = channel;
    }

    @Override
    public ClientCall start(MethodDescriptor method, ClientCallOptions options, ClientListener listener) {
      return channel.start(method, options, new ClientListener() {
        @Override
        public void onHeaders(Map<String, List<String>> headers, Map<String, List<byte[]>> binary) {
          listener.onHeaders(headers, binary);
        }

        @Override
        public void onMessage(DynamicMessage response) {
          listener.onMessage(response);
        }

        @Override
        public void onReady() {
          listener.onReady();
        }

        @Override
        public void onClose(CallFailure failure, Map<String, List<String>> trailers,
            Map<String, List<byte[]>> binaryTrailers) {
          String why = reason;
          if (failure != null && why != null && failure.code().equals("UNAVAILABLE")) {
            // The transport only knows it was shut down; this says by what.
            failure = closed(id, why);
          }
          listener.onClose(failure, trailers, binaryTrailers);
        }
      });
    }

    void closeFor(String why) {
      reason = why;
      close();
    }

    @Override
    public void close() {
      channels.remove(this);
      channel.close();
    }

    @Override
    public String toString() {
      return channel.toString();
    }
  }
}
