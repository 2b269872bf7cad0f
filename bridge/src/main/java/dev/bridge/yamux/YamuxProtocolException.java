package dev.bridge.yamux;

import java.io.IOException;

/** The peer sent something the specification does not allow; the session ends with a protocol-error go-away. */
public final class YamuxProtocolException extends IOException {
  public YamuxProtocolException(String message) {
    super(message);
  }
}
