package dev.bridge.dispatch;

import java.util.List;
import java.util.Map;

/**
 * What a handler may know about the call it serves, without gRPC types: the full method name and the
 * request metadata (ASCII headers only; binary headers are left out).
 */
public record CallContext(String fullMethodName, Map<String, List<String>> metadata) {
  public CallContext {
    metadata = Map.copyOf(metadata);
  }
}
