package dev.bridge.rpc;

import com.google.protobuf.Descriptors.MethodDescriptor;

/** The four shapes of a gRPC call: whether the caller sends a stream of requests, and the server one of responses. */
public enum CallShape {
  UNARY(false, false, "unary"),
  SERVER_STREAMING(false, true, "server-streaming"),
  CLIENT_STREAMING(true, false, "client-streaming"),
  BIDI_STREAMING(true, true, "bidi-streaming");

  private final boolean clientStreams;
  private final boolean serverStreams;
  private final String label;

  CallShape(boolean clientStreams, boolean serverStreams, String label) {
    this.clientStreams = clientStreams;
    this.serverStreams = serverStreams;
    this.label = label;
  }

  public static CallShape of(MethodDescriptor method) {
    if (method.isClientStreaming()) {
      return method.isServerStreaming() ? BIDI_STREAMING : CLIENT_STREAMING;
    }
    return method.isServerStreaming() ? SERVER_STREAMING : UNARY;
  }

  /** The caller sends any number of requests (else exactly one). */
  public boolean clientStreams() {
    return clientStreams;
  }

  /** The server sends any number of responses (else exactly one, or a failure). */
  public boolean serverStreams() {
    return serverStreams;
  }

  /** As people write it: {@code server-streaming}. */
  public String label() {
    return label;
  }
}
