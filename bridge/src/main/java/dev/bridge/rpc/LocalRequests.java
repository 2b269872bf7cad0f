package dev.bridge.rpc;

import com.google.protobuf.DynamicMessage;
import java.util.Iterator;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The requests of a {@link LocalCall} taken from an iterator only as the handler asks for them: one thread of
 * its own reads the iterator (which may block, as reading standard input does) and delivers each request, then
 * the half-close when it has no more, never on the handler's thread and never beyond what was requested.
 */
final class LocalRequests implements RequestSource {
  private final Iterator<DynamicMessage> feed;
  private final String name;
  private final Consumer<RuntimeException> onFeedFailure;
  private RequestListener listener;
  private long demand;
  private boolean stopped;
  private Thread reader;

  /**
   * @param name what the reading thread is called
   * @param onFeedFailure told when the iterator throws (the caller's requests failed); nothing is read after it
   */
  LocalRequests(Iterator<DynamicMessage> feed, String name, Consumer<RuntimeException> onFeedFailure) {
    this.feed = Objects.requireNonNull(feed, "feed");
    this.name = name;
    this.onFeedFailure = onFeedFailure;
  }

  @Override
  public synchronized void start(RequestListener listener) {
    if (this.listener != null) {
      throw new IllegalStateException(name + ": the requests were already started");
    }
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  @Override
  public synchronized void request(int count) {
    if (listener == null) {
      throw new IllegalStateException(name + ": request(" + count + ") before start");
    }
    if (stopped || count <= 0) {
      return;
    }
    demand += count;
    if (reader == null) {
      reader = Thread.ofVirtual().name(name + " requests").start(this::deliver);
    }
    notifyAll();
  }

  /** The call ended: nothing more is read or delivered. */
  synchronized void stop() {
    stopped = true;
    notifyAll();
  }

  private void deliver() {
    while (true) {
      synchronized (this) {
        while (demand == 0 && !stopped) {
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (stopped) {
          return;
        }
        demand--;
      }
      DynamicMessage next;
      try {
        next = feed.hasNext() ? feed.next() : null;
      } catch (RuntimeException e) {
        stop();
        onFeedFailure.accept(e);
        return;
      }
      synchronized (this) {
        if (stopped) {
          return;
        }
        if (next == null) {
          stopped = true;
        }
      }
      if (next == null) {
        listener.onCompleted();
        return;
      }
      listener.onNext(next);
    }
  }
}
