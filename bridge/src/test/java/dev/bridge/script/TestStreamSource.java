package dev.bridge.script;

import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.RequestListener;
import dev.bridge.rpc.RequestSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongConsumer;

/**
 * A stream of requests in-process, delivered as a transport delivers them: only as many as the handler asked
 * for, one at a time; the end after the last. Counts what was asked for, and checks each ask ({@link #onRequest}).
 */
final class TestStreamSource implements RequestSource {
  private final Deque<DynamicMessage> queued = new ArrayDeque<>();
  private RequestListener listener;
  private long requested;
  private long delivered;
  private boolean halfClosed;
  private boolean endDelivered;
  private volatile LongConsumer onRequest = total -> {};

  /** Runs with the total asked for so far after each {@link #request}. */
  TestStreamSource onRequest(LongConsumer check) {
    this.onRequest = check;
    return this;
  }

  @Override
  public synchronized void start(RequestListener listener) {
    if (this.listener != null) {
      throw new IllegalStateException("started twice");
    }
    this.listener = listener;
    deliver();
  }

  @Override
  public void request(int count) {
    long total;
    synchronized (this) {
      requested += count;
      total = requested;
      deliver();
    }
    onRequest.accept(total);
  }

  synchronized void send(DynamicMessage... requests) {
    for (DynamicMessage request : requests) {
      queued.add(request);
    }
    deliver();
  }

  synchronized void halfClose() {
    halfClosed = true;
    deliver();
  }

  synchronized long requested() {
    return requested;
  }

  synchronized long delivered() {
    return delivered;
  }

  private void deliver() {
    if (listener == null) {
      return;
    }
    while (delivered < requested && !queued.isEmpty()) {
      delivered++;
      listener.onNext(queued.poll());
    }
    if (halfClosed && queued.isEmpty() && !endDelivered) {
      endDelivered = true;
      listener.onCompleted();
    }
  }
}
