package dev.bridge.plugin.broker;

import dev.bridge.plugin.internal.ConnInfo;
import dev.bridge.rpc.CallFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The messages of the broker stream by id, as go-plugin's {@code GRPCBroker.Run} sorts them: the host's offers of
 * connections (and, when multiplexing, its acknowledgements of our knocks) for whoever dials that id, its knocks for
 * whoever serves that id; and our messages to it, once its stream is open.
 *
 * <p>An offer and the dial naming its id may come in either order: a dial waits for the offer up to a time limit, and
 * an offer is kept for dials that come later (go-plugin forgets it 5 s after it came unless dialed: keeping the latest
 * offer per id lets a script dial the same id again, say once per call, while the host still serves it). At most
 * {@value #REMEMBERED_OFFERS} offers are kept, the oldest forgotten first.
 */
public final class ConnInfoExchange {
  static final int REMEMBERED_OFFERS = 1024;
  private static final Logger LOG = Logger.getLogger(ConnInfoExchange.class.getName());

  private final BrokerStreamService stream = new BrokerStreamService(this::receive);
  private final Map<Integer, ConnInfo> offers = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Integer, ConnInfo> eldest) {
      return size() > REMEMBERED_OFFERS;
    }
  };
  private final Map<Integer, List<CompletableFuture<ConnInfo>>> offerWaiters = new HashMap<>();
  private final Map<Integer, List<CompletableFuture<ConnInfo>>> replyWaiters = new HashMap<>();
  private final Map<Integer, Consumer<ConnInfo>> knockHandlers = new HashMap<>();
  private final Map<Integer, ConnInfo> unhandledKnocks = new HashMap<>();
  private String closedReason;

  /** The StartStream service the host talks to. */
  public BrokerStreamService stream() {
    return stream;
  }

  /**
   * The host's offer of a connection under {@code id}: at once when it came already, else when it comes. Fails with
   * {@link CallFailure} UNAVAILABLE naming the id when none comes within {@code timeout}.
   */
  public CompletableFuture<ConnInfo> offer(int id, Duration timeout) {
    CompletableFuture<ConnInfo> waiter = new CompletableFuture<>();
    synchronized (this) {
      if (closedReason != null) {
        return CompletableFuture.failedFuture(new CallFailure("UNAVAILABLE", closedReason));
      }
      ConnInfo known = offers.get(id);
      if (known != null) {
        return CompletableFuture.completedFuture(known);
      }
      offerWaiters.computeIfAbsent(id, key -> new ArrayList<>()).add(waiter);
    }
    return within(waiter, timeout, offerWaiters, id, "the host offered no connection under broker id "
        + Integer.toUnsignedString(id) + " within " + seconds(timeout));
  }

  /**
   * The host's next reply for {@code id} (an acknowledgement of a knock, when multiplexing); register before sending
   * what it answers. Fails with {@link CallFailure} UNAVAILABLE when none comes within {@code timeout}.
   */
  public CompletableFuture<ConnInfo> nextReply(int id, Duration timeout) {
    CompletableFuture<ConnInfo> waiter = new CompletableFuture<>();
    synchronized (this) {
      if (closedReason != null) {
        return CompletableFuture.failedFuture(new CallFailure("UNAVAILABLE", closedReason));
      }
      replyWaiters.computeIfAbsent(id, key -> new ArrayList<>()).add(waiter);
    }
    return within(waiter, timeout, replyWaiters, id, "the host did not answer for broker id "
        + Integer.toUnsignedString(id) + " within " + seconds(timeout));
  }

  /**
   * Routes the host's knocks for {@code id} (multiplexing: it is about to open a stream for that id) to
   * {@code handler}, a knock that came before included, until the returned handle is closed.
   */
  public AutoCloseable onKnock(int id, Consumer<ConnInfo> handler) {
    ConnInfo early;
    synchronized (this) {
      knockHandlers.put(id, handler);
      early = unhandledKnocks.remove(id);
    }
    if (early != null) {
      handler.accept(early);
    }
    return () -> {
      synchronized (this) {
        knockHandlers.remove(id, handler);
      }
    };
  }

  /**
   * Sends {@code info} to the host, waiting up to {@code timeout} for its broker stream to open (it opens it right
   * after connecting).
   */
  public CompletableFuture<Void> send(ConnInfo info, Duration timeout) {
    return stream.whenOpen()
        .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .handle((open, failure) -> {
          if (failure != null) {
            throw new CallFailure("UNAVAILABLE", "the host opened no broker stream ("
                + BrokerStreamService.START_STREAM.getFullMethodName() + ") within " + seconds(timeout)
                + " to tell it of broker id " + Integer.toUnsignedString(info.getServiceId()));
          }
          try {
            stream.send(info);
          } catch (IllegalStateException e) {
            throw new CallFailure("UNAVAILABLE", "could not tell the host of broker id "
                + Integer.toUnsignedString(info.getServiceId()) + ": " + e.getMessage(), e);
          }
          return null;
        });
  }

  /** Fails every waiter and every later wait with UNAVAILABLE {@code reason}, and ends the host's streams. */
  public void close(String reason) {
    List<CompletableFuture<ConnInfo>> waiting = new ArrayList<>();
    synchronized (this) {
      if (closedReason != null) {
        return;
      }
      closedReason = reason;
      offerWaiters.values().forEach(waiting::addAll);
      replyWaiters.values().forEach(waiting::addAll);
      offerWaiters.clear();
      replyWaiters.clear();
      offers.clear();
      knockHandlers.clear();
      unhandledKnocks.clear();
    }
    CallFailure failure = new CallFailure("UNAVAILABLE", reason);
    waiting.forEach(waiter -> waiter.completeExceptionally(failure));
    stream.closeAll();
  }

  /** One message from the host. */
  void receive(ConnInfo info) {
    int id = info.getServiceId();
    boolean knock = info.hasKnock() && info.getKnock().getKnock();
    LOG.log(Level.FINE, "broker message from the host", Map.of(
        "service_id", Integer.toUnsignedLong(id), "network", info.getNetwork(), "address", info.getAddress(),
        "knock", knock, "ack", knock && info.getKnock().getAck()));
    if (knock && !info.getKnock().getAck()) {
      Consumer<ConnInfo> handler;
      synchronized (this) {
        handler = knockHandlers.get(id);
        if (handler == null) {
          // As go-plugin's one-slot buffer: kept for a server that registers for the id shortly.
          unhandledKnocks.put(id, info);
          return;
        }
      }
      handler.accept(info);
      return;
    }
    List<CompletableFuture<ConnInfo>> waiting;
    synchronized (this) {
      if (closedReason != null) {
        return;
      }
      if (knock) {
        waiting = replyWaiters.remove(id);
      } else {
        offers.put(id, info);
        waiting = offerWaiters.remove(id);
      }
    }
    if (waiting != null) {
      waiting.forEach(waiter -> waiter.complete(info));
    }
  }

  private CompletableFuture<ConnInfo> within(CompletableFuture<ConnInfo> waiter, Duration timeout,
      Map<Integer, List<CompletableFuture<ConnInfo>>> waiters, int id, String timeoutMessage) {
    return waiter.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).exceptionallyCompose(failure -> {
      synchronized (this) {
        List<CompletableFuture<ConnInfo>> list = waiters.get(id);
        if (list != null) {
          list.remove(waiter);
          if (list.isEmpty()) {
            waiters.remove(id);
          }
        }
      }
      if (failure instanceof TimeoutException) {
        return CompletableFuture.failedFuture(new CallFailure("UNAVAILABLE", timeoutMessage));
      }
      return CompletableFuture.failedFuture(failure);
    });
  }

  /** "5 s", "1500 ms": as the time limits are stated in messages. */
  static String seconds(Duration timeout) {
    return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
  }
}
