package dev.bridge.script;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.bridge.rpc.Broker;
import dev.bridge.rpc.BrokeredService;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.Handlers;
import dev.bridge.rpc.RemoteChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What one script instance opened through the broker: the connections it dialed, one per id (go-plugin's host
 * offers an id for one connection, which may carry several services, as Vault's {@code Storage} and
 * {@code SystemView} share one: dialing an id again reuses it), and the services it serves. All are closed with
 * the instance ({@link #close}), after which its clients' calls fail with UNAVAILABLE saying why.
 */
final class BrokerSession {
  private static final Logger LOG = Logger.getLogger("dev.bridge.script");

  private final Broker broker;
  private final Map<Long, CompletableFuture<RemoteChannel>> dialed = new ConcurrentHashMap<>();
  private final Map<Long, BrokeredService> served = new ConcurrentHashMap<>();
  private volatile String closedWhy;

  BrokerSession(Broker broker) {
    this.broker = broker;
  }

  /** The connection under {@code id}: the one dialed before, or a new one. */
  CompletableFuture<RemoteChannel> dial(long id) {
    String why = closedWhy;
    if (why != null) {
      return CompletableFuture.failedFuture(new CallFailure("UNAVAILABLE", why));
    }
    CompletableFuture<RemoteChannel> mine = new CompletableFuture<>();
    CompletableFuture<RemoteChannel> earlier = dialed.putIfAbsent(id, mine);
    if (earlier != null) {
      return earlier;
    }
    CompletableFuture<RemoteChannel> connection;
    try {
      connection = broker.dial(id);
    } catch (RuntimeException e) {
      connection = CompletableFuture.failedFuture(e);
    }
    connection.whenComplete((channel, failure) -> {
      if (failure != null) {
        dialed.remove(id, mine);  // a later dial tries again
        mine.completeExceptionally(failure);
        return;
      }
      if (closedWhy != null) {
        channel.close();  // connected after the instance closed
      }
      mine.complete(channel);
    });
    return mine;
  }

  /**
   * Closes the connection dialed under {@code id} (every client of it): its calls in progress fail with
   * UNAVAILABLE. False if none was dialed (or its dial had not completed, which then closes it once it does).
   */
  boolean hangUp(long id) {
    CompletableFuture<RemoteChannel> connection = dialed.remove(id);
    if (connection == null) {
      return false;
    }
    connection.thenAccept(RemoteChannel::close);
    return connection.isDone() && !connection.isCompletedExceptionally();
  }

  /** Serves {@code handlers} under a new id, stopped by {@link #stop} or {@link #close}. */
  CompletableFuture<BrokeredService> serve(List<ServiceDescriptor> services, Handlers handlers) {
    String why = closedWhy;
    if (why != null) {
      return CompletableFuture.failedFuture(new CallFailure("UNAVAILABLE", why));
    }
    CompletableFuture<BrokeredService> started;
    try {
      started = broker.serve(services, handlers);
    } catch (RuntimeException e) {
      started = CompletableFuture.failedFuture(e);
    }
    return started.thenApply(service -> {
      served.put(service.id(), service);
      String closed = closedWhy;
      if (closed != null) {
        stop(service.id());
        throw new CallFailure("UNAVAILABLE", closed);
      }
      return service;
    });
  }

  /** Stops serving {@code id}; false if this instance serves no such id. */
  boolean stop(long id) {
    BrokeredService service = served.remove(id);
    if (service == null) {
      return false;
    }
    try {
      service.close();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "stopping broker id " + id + " failed: " + e, e);
    }
    return true;
  }

  /** Why the session was closed, or null while it is open. */
  String closedWhy() {
    return closedWhy;
  }

  /** Closes every connection and stops every service; {@code why} is what later calls fail with. Idempotent. */
  void close(String why) {
    if (closedWhy != null) {
      return;
    }
    closedWhy = why;
    for (Long id : served.keySet().toArray(Long[]::new)) {
      stop(id);
    }
    for (CompletableFuture<RemoteChannel> connection : dialed.values()) {
      RemoteChannel channel = connection.getNow(null);
      if (channel != null) {
        try {
          channel.close();
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "closing a brokered connection failed: " + e, e);
        }
      }
    }
    dialed.clear();
  }
}
