package dev.bridge.rpc.grpc;

import dev.bridge.rpc.ClientCallOptions;
import io.grpc.Metadata;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A client call's request metadata as grpc sends it: ASCII values, and binary values under {@code -bin} names. */
final class OutboundMetadata {
  private OutboundMetadata() {}

  /**
   * The options' metadata as grpc headers.
   *
   * @throws IllegalArgumentException naming the entry, for a name that is not a valid header name, an ASCII value
   *     under a {@code -bin} name or the reverse, or an ASCII value with characters a header cannot carry
   */
  static Metadata of(ClientCallOptions options) {
    Metadata headers = new Metadata();
    for (Map.Entry<String, List<String>> entry : options.metadata().entrySet()) {
      String name = entry.getKey().toLowerCase(Locale.ROOT);
      if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        throw new IllegalArgumentException(
            "metadata '" + entry.getKey() + "': a name ending in -bin takes binary values, not strings");
      }
      Metadata.Key<String> key = key(entry.getKey(), () -> Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
      for (String value : entry.getValue()) {
        checkAscii(entry.getKey(), value);
        headers.put(key, value);
      }
    }
    for (Map.Entry<String, List<byte[]>> entry : options.binaryMetadata().entrySet()) {
      String name = entry.getKey().toLowerCase(Locale.ROOT);
      if (!name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        throw new IllegalArgumentException(
            "metadata '" + entry.getKey() + "': binary values need a name ending in -bin");
      }
      Metadata.Key<byte[]> key = key(entry.getKey(), () -> Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER));
      for (byte[] value : entry.getValue()) {
        headers.put(key, value);
      }
    }
    return headers;
  }

  private static <T> Metadata.Key<T> key(String name, java.util.function.Supplier<Metadata.Key<T>> make) {
    try {
      return make.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("metadata '" + name + "': not a valid header name (" + e.getMessage() + ")",
          e);
    }
  }

  /** HTTP/2 header values: printable ASCII and spaces; grpc-java would otherwise send them mangled. */
  private static void checkAscii(String name, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new IllegalArgumentException("metadata '" + name + "': character " + String.format("U+%04X", (int) c)
            + " at " + i + " cannot be sent in an ASCII value (use a name ending in -bin for bytes)");
      }
    }
  }
}
