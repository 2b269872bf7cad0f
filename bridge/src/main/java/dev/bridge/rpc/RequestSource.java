package dev.bridge.rpc;

/**
 * The requests of one call, pulled by the handler: nothing is delivered beyond what it asked for, so a
 * handler that reads slowly holds the caller back (the transport's flow control) instead of buffering.
 * Implemented by each transport (gRPC, in-process); {@link ServerCalls} reads it for unary and
 * server-streaming methods.
 */
public interface RequestSource {
  /**
   * Starts delivery to {@code listener}; called once, before {@link #request}. Messages and the end are
   * delivered one at a time (never concurrently), on a thread of the transport's; except an end that came
   * before this call (an empty stream of requests), which this call delivers, on its caller's thread.
   */
  void start(RequestListener listener);

  /** Asks for {@code count} more requests (> 0); they are delivered as they come. */
  void request(int count);
}
