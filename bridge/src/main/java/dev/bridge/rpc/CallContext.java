package dev.bridge.rpc;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a handler may know about the call it serves, without gRPC types: the full method name, the
 * request metadata (ASCII headers as strings, {@code -bin} headers as bytes), the caller's deadline if it
 * set one, the signal that the caller gave up (cancelled, or the deadline passed), and the response
 * headers and trailers the handler sets.
 */
public final class CallContext {
  private final String fullMethodName;
  private final Optional<Instant> deadline;
  private final CallCancellation cancellation;
  // Most handlers never look at the metadata: it is converted from the call's headers on first use only.
  private Supplier<Map<String, List<String>>> metadataSource;
  private Map<String, List<String>> metadata;
  private Supplier<Map<String, List<byte[]>>> binaryMetadataSource = Map::of;
  private Map<String, List<byte[]>> binaryMetadata;
  private ResponseMetadata responseMetadata = new ResponseMetadata();

  public CallContext(String fullMethodName, Map<String, List<String>> metadata, Optional<Instant> deadline,
      CallCancellation cancellation) {
    this(fullMethodName, () -> metadata, deadline, cancellation);
    Objects.requireNonNull(metadata, "metadata");
  }

  /** The metadata is taken from {@code metadata} when first asked for, once. */
  public CallContext(String fullMethodName, Supplier<Map<String, List<String>>> metadata, Optional<Instant> deadline,
      CallCancellation cancellation) {
    this.fullMethodName = Objects.requireNonNull(fullMethodName, "fullMethodName");
    this.metadataSource = Objects.requireNonNull(metadata, "metadata");
    this.deadline = Objects.requireNonNull(deadline, "deadline");
    this.cancellation = Objects.requireNonNull(cancellation, "cancellation");
  }

  /** A call without deadline that nobody cancels (tests, embedding). */
  public CallContext(String fullMethodName, Map<String, List<String>> metadata) {
    this(fullMethodName, metadata, Optional.empty(), new CallCancellation());
  }

  public String fullMethodName() {
    return fullMethodName;
  }

  /** Header name to its values, in the order they came. */
  public synchronized Map<String, List<String>> metadata() {
    if (metadata == null) {
      metadata = Map.copyOf(metadataSource.get());
      metadataSource = null;
    }
    return metadata;
  }

  /**
   * The {@code -bin} request headers, taken from {@code binary} when first asked for; set before the handler
   * runs. Returns this.
   */
  public synchronized CallContext withBinaryMetadata(Supplier<Map<String, List<byte[]>>> binary) {
    this.binaryMetadataSource = Objects.requireNonNull(binary, "binary");
    this.binaryMetadata = null;
    return this;
  }

  /** Binary ({@code -bin}) header name to its values, in the order they came. */
  public synchronized Map<String, List<byte[]>> binaryMetadata() {
    if (binaryMetadata == null) {
      binaryMetadata = Map.copyOf(binaryMetadataSource.get());
      binaryMetadataSource = null;
    }
    return binaryMetadata;
  }

  /** Where the handler's response headers and trailers go: the transport's, read when it answers. Returns this. */
  public synchronized CallContext withResponseMetadata(ResponseMetadata response) {
    this.responseMetadata = Objects.requireNonNull(response, "response");
    return this;
  }

  /** The response headers and trailers the handler sets. */
  public synchronized ResponseMetadata responseMetadata() {
    return responseMetadata;
  }

  public Optional<Instant> deadline() {
    return deadline;
  }

  public CallCancellation cancellation() {
    return cancellation;
  }
}
