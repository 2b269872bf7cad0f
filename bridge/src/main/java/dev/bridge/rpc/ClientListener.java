package dev.bridge.rpc;

import com.google.protobuf.DynamicMessage;
import java.util.List;
import java.util.Map;

/**
 * Hears of one {@link ClientCall}: called on a transport thread, one at a time, in order (headers, messages,
 * close), and must not block.
 */
public interface ClientListener {
  /** The response headers: ASCII values by key, binary values by key ending in {@code -bin}. */
  default void onHeaders(Map<String, List<String>> headers, Map<String, List<byte[]>> binary) {}

  /** One response, delivered only as {@link ClientCall#request} asked. */
  void onMessage(DynamicMessage response);

  /** The call can take more requests without buffering (see {@link ClientCall#isReady()}). */
  default void onReady() {}

  /**
   * The end of the call. {@code failure} null means OK; otherwise it carries the code, the message and the
   * {@code google.rpc.Status} details. Trailers as headers are.
   */
  void onClose(CallFailure failure, Map<String, List<String>> trailers, Map<String, List<byte[]>> binaryTrailers);
}
