package dev.bridge.rpc;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DynamicMessage;

/**
 * A request source a test drives by hand: it sends requests and the half-close itself, and refuses (fails the
 * test) to deliver a request the handler did not ask for, so that a handler reading more than it pulled is caught.
 */
final class TestRequests implements RequestSource {
  private RequestListener listener;
  private int requested;
  private int delivered;
  private int starts;

  @Override
  public synchronized void start(RequestListener listener) {
    this.listener = listener;
    starts++;
  }

  @Override
  public synchronized void request(int count) {
    assertTrue(count > 0, "request(" + count + ")");
    requested += count;
  }

  /** Delivers one request, which the handler must have asked for. */
  void send(DynamicMessage request) {
    RequestListener to;
    synchronized (this) {
      assertNotNull(listener, "the handler did not start reading its requests");
      assertTrue(delivered < requested, "a request the handler did not ask for (asked for " + requested + ")");
      delivered++;
      to = listener;
    }
    to.onNext(request);
  }

  /** The caller's last request was sent. */
  void halfClose() {
    RequestListener to;
    synchronized (this) {
      assertNotNull(listener, "the handler did not start reading its requests");
      to = listener;
    }
    to.onCompleted();
  }

  /** How many requests the handler asked for so far. */
  synchronized int requested() {
    return requested;
  }

  synchronized int starts() {
    return starts;
  }
}
