package dev.bridge.rpc;

import com.google.protobuf.DynamicMessage;

/**
 * Where the responses of one call go, with flow control: a handler sends while {@link #isReady()} and
 * otherwise waits for the listener set by {@link #setOnReady}, so a stream to a slow reader holds the
 * handler back instead of buffering. Implemented by each transport (gRPC, in-process). Methods may be
 * called from any thread, but not concurrently. A call ends exactly once: {@link #complete} or {@link #fail};
 * once the caller gave up (the context's cancellation) what is sent is dropped.
 */
public interface ResponseSink {
  /** Whether the transport takes another response now without buffering it. */
  boolean isReady();

  /** Runs {@code listener} (on a transport thread) each time the sink turns ready after {@link #isReady()} was false. */
  void setOnReady(Runnable listener);

  /**
   * Sends one response; the first one sends the response headers set so far, which can then no longer change.
   */
  void next(DynamicMessage response);

  /** Ends the call OK, sending the trailers set so far. */
  void complete();

  /** Ends the call with {@code failure}'s status (and details), sending the trailers set so far. */
  void fail(CallFailure failure);
}
