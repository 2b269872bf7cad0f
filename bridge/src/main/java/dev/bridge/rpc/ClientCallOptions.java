package dev.bridge.rpc;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a client call sends besides its messages: a deadline, and request metadata, ASCII values by
 * lower-case key and binary values by key ending in {@code -bin}.
 */
public record ClientCallOptions(
    Optional<Instant> deadline, Map<String, List<String>> metadata, Map<String, List<byte[]>> binaryMetadata) {
  public ClientCallOptions {
    deadline = deadline == null ? Optional.empty() : deadline;
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    binaryMetadata = binaryMetadata == null ? Map.of() : Map.copyOf(binaryMetadata);
  }

  /** No deadline, no metadata. */
  public static ClientCallOptions none() {
    return new ClientCallOptions(Optional.empty(), Map.of(), Map.of());
  }
}
