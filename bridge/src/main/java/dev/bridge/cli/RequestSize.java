package dev.bridge.cli;

import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.CallFailure;

/** The maximum message size a host's requests are held to, applied to {@code bridgejs call}'s as the server would. */
final class RequestSize {
  private RequestSize() {}

  /**
   * @param which the request, as the message names it ({@code the request}, {@code stdin line 3})
   * @throws CallFailure {@code RESOURCE_EXHAUSTED} when the request is larger than the maximum
   */
  static void check(String fullMethodName, String which, DynamicMessage request, int maxMessageSize) {
    int size = request.getSerializedSize();
    if (size > maxMessageSize) {
      throw new CallFailure("RESOURCE_EXHAUSTED", fullMethodName + ": " + which + " is " + size
          + " bytes, more than the maximum message size of " + maxMessageSize + " bytes");
    }
  }
}
