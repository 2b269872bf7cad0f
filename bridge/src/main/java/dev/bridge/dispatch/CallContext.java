package dev.bridge.dispatch;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a handler may know about the call it serves, without gRPC types: the full method name, the
 * request metadata (ASCII headers only; binary headers are left out), the caller's deadline if it set
 * one, and the signal that the caller gave up (cancelled, or the deadline passed).
 */
public record CallContext(
    String fullMethodName,
    Map<String, List<String>> metadata,
    Optional<Instant> deadline,
    CallCancellation cancellation) {
  public CallContext {
    Objects.requireNonNull(fullMethodName, "fullMethodName");
    metadata = Map.copyOf(metadata);
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(cancellation, "cancellation");
  }

  /** A call without deadline that nobody cancels (tests, embedding). */
  public CallContext(String fullMethodName, Map<String, List<String>> metadata) {
    this(fullMethodName, metadata, Optional.empty(), new CallCancellation());
  }
}
