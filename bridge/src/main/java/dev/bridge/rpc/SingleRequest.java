package dev.bridge.rpc;

import com.google.protobuf.DynamicMessage;
import java.util.Objects;

/**
 * The request of a call that takes one (unary, server-streaming), read already: delivered to each listener
 * that starts, so that a call an instance turned away unstarted can be given to another one.
 */
public final class SingleRequest implements RequestSource {
  private final DynamicMessage request;
  private RequestListener listener;
  private boolean delivered;

  public SingleRequest(DynamicMessage request) {
    this.request = Objects.requireNonNull(request, "request");
  }

  @Override
  public synchronized void start(RequestListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    this.delivered = false;
  }

  @Override
  public void request(int count) {
    RequestListener to;
    synchronized (this) {
      if (delivered || listener == null) {
        return;
      }
      delivered = true;
      to = listener;
    }
    to.onNext(request);
    to.onCompleted();
  }
}
