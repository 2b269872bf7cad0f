package dev.bridge.schema;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The SHA-256 of each file the parser read, of exactly the bytes it parsed: a digest taken afterwards
 * could already be of a newer version, and a cache entry would then pair new digests with an old schema.
 */
public final class FileReads {
  private final Map<String, String> digests = new HashMap<>();
  private final Set<String> changedWhileRead = new HashSet<>();

  synchronized void record(String path, byte[] content) {
    String digest = Sha256.hex(content);
    String earlier = digests.putIfAbsent(path, digest);
    if (earlier != null && !earlier.equals(digest)) {
      changedWhileRead.add(path);
    }
  }

  /** The digest of what was read from {@code path}; empty if it was not read, or read twice with different contents. */
  synchronized Optional<String> digest(String path) {
    return changedWhileRead.contains(path) ? Optional.empty() : Optional.ofNullable(digests.get(path));
  }

  synchronized Set<String> paths() {
    return Set.copyOf(digests.keySet());
  }
}
