package dev.bridge.rpc;

import com.google.protobuf.DynamicMessage;

/**
 * One call in progress on a {@link RemoteChannel}, from the caller's side, with flow control both ways as
 * grpc-java's {@code ClientCall}: the caller asks for responses with {@link #request} and sends while
 * {@link #isReady()} (else waits for {@link ClientListener#onReady()}).
 */
public interface ClientCall {
  /** Asks for up to {@code count} more responses to be delivered to the listener. */
  void request(int count);

  /** Whether a send now would be taken without buffering much; a hint, sends are never refused for it. */
  boolean isReady();

  /** Sends one request (exactly one for unary and server-streaming methods). */
  void send(DynamicMessage request);

  /** No more requests. */
  void halfClose();

  /** Abandons the call; the listener's onClose follows with CANCELLED. */
  void cancel(String reason);
}
