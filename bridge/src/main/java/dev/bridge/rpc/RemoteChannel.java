package dev.bridge.rpc;

import com.google.protobuf.Descriptors.MethodDescriptor;

/**
 * A client connection to a remote service (one the host offers through the broker), all four call shapes,
 * without transport types: requests and responses are {@code DynamicMessage}s of the method's types.
 */
public interface RemoteChannel extends AutoCloseable {
  /**
   * Starts a call of {@code method}; the listener hears of headers, responses, readiness and the end. Nothing
   * is delivered until {@link ClientCall#request} asks for responses. After {@link #close()}, calls end at once
   * with a failure (UNAVAILABLE).
   */
  ClientCall start(MethodDescriptor method, ClientCallOptions options, ClientListener listener);

  /** Closes the connection; calls in progress end with UNAVAILABLE. Idempotent. */
  @Override
  void close();
}
