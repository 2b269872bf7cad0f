package dev.bridge.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The response headers and trailers a handler sets ({@code context.setHeader}, {@code context.setTrailer}),
 * without gRPC types: the transport ({@link CallMetadata}) sends them with the answer, {@code bridgejs call}
 * prints them. A unary call's headers go out with its one answer, so everything set before the handler
 * settles is sent, on success or failure alike; once the call is answered ({@link #seal}) nothing more can
 * be sent and adding is an error rather than a silent loss. Thread-safe: the handler adds on the JS thread,
 * the transport reads on its own.
 */
public final class ResponseMetadata {
  /** Names gRPC or HTTP/2 own: a handler setting them would corrupt the call or be overridden. */
  private static final Set<String> RESERVED = Set.of(
      "content-type", "te", "user-agent", "host", "connection", "keep-alive", "transfer-encoding", "upgrade",
      "proxy-connection", "accept-encoding", "content-length");

  /** One header or trailer: the value is a {@code String}, or a {@code byte[]} for a {@code -bin} name. */
  public record Entry(String name, Object value) {}

  /** Why a header or trailer was refused: its name or its value is not allowed. */
  public static final class InvalidMetadataException extends IllegalArgumentException {
    InvalidMetadataException(String message) {
      super(message);
    }
  }

  /** Adding after the call was answered. */
  public static final class CallEndedException extends IllegalStateException {
    CallEndedException(String message) {
      super(message);
    }
  }

  private final List<Entry> headers = new ArrayList<>();
  private final List<Entry> trailers = new ArrayList<>();
  private boolean sealed;
  private boolean headersSealed;

  /** A value that is neither string nor bytes, kept only to say what it was. */
  public record Unusable(String description) {}

  /**
   * Adds a header (or trailer); repeated names add values. The name is lower-cased as gRPC sends it.
   *
   * @param value a String, a byte[] (for names ending in {@code -bin}), or an {@link Unusable}
   * @throws InvalidMetadataException naming the header, for a bad name or value
   * @throws CallEndedException after {@link #seal}
   */
  public synchronized void add(boolean trailer, String name, Object value) {
    String what = trailer ? "setTrailer" : "setHeader";
    String key = check(what, name, value);
    if (sealed) {
      throw new CallEndedException(what + "(\"" + key + "\"): the call was already answered; set headers and "
          + "trailers before the handler returns or throws");
    }
    if (!trailer && headersSealed) {
      throw new CallEndedException(what + "(\"" + key + "\"): the response headers were already sent with the "
          + "first response; set headers before the first response (trailers may be set until the call ends)");
    }
    (trailer ? trailers : headers).add(new Entry(key, value));
  }

  /** Checks name and value; gives the name as sent (lower case). */
  static String check(String what, String name, Object value) {
    if (name == null || name.isEmpty()) {
      throw new InvalidMetadataException(what + ": the name must be a non-empty string");
    }
    String key = name.toLowerCase(Locale.ROOT);
    String at = what + "(\"" + name + "\")";
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
      if (!ok) {
        throw new InvalidMetadataException(at + ": a header name may contain only letters, digits, '-', '_' and '.'"
            + (c == ':' ? " (pseudo-headers such as :status are HTTP/2's own)" : ""));
      }
    }
    if (key.startsWith("grpc-") || RESERVED.contains(key)) {
      throw new InvalidMetadataException(at + ": " + key + " is reserved for gRPC and HTTP/2 (use a name of your own, "
          + "e.g. x-" + key + "; for error details, throw an RpcError with details)");
    }
    boolean binary = key.endsWith("-bin");
    if (binary) {
      if (!(value instanceof byte[])) {
        throw new InvalidMetadataException(at + ": a -bin header's value must be a Uint8Array, got " + describe(value));
      }
    } else if (value instanceof String text) {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c < 0x20 || c > 0x7e) {
          throw new InvalidMetadataException(at + ": the value may contain only printable ASCII (character "
              + i + " is U+" + String.format("%04X", (int) c) + "); for other bytes, use a name ending in -bin "
              + "and a Uint8Array");
        }
      }
    } else {
      throw new InvalidMetadataException(at + ": the value must be a string (or a Uint8Array for a name ending in -bin), "
          + "got " + describe(value));
    }
    return key;
  }

  private static String describe(Object value) {
    if (value instanceof Unusable unusable) {
      return unusable.description();
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof byte[]) {
      return "a Uint8Array";
    }
    return String.valueOf(value);
  }

  /** The call is being answered: what was set is what is sent. */
  public synchronized void seal() {
    sealed = true;
    headersSealed = true;
  }

  /** The first response is being sent, and the headers with it: trailers may still be added. */
  public synchronized void sealHeaders() {
    headersSealed = true;
  }

  public synchronized List<Entry> headers() {
    return List.copyOf(headers);
  }

  public synchronized List<Entry> trailers() {
    return List.copyOf(trailers);
  }
}
