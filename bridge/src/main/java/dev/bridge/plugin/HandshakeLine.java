package dev.bridge.plugin;

import java.util.Objects;
import java.util.Optional;

/**
 * The one line a go-plugin plugin prints on stdout to tell the host where to connect:
 * {@code CORE|APP|NETWORK|ADDRESS|grpc|CERT}, plus a 7th field when a newer host asked about broker multiplexing.
 *
 * @param appProtocolVersion the negotiated app protocol version
 * @param address where the plugin listens
 * @param serverCertificate the AutoMTLS certificate field (unpadded base64 DER), or empty without AutoMTLS
 * @param multiplexSupported present only when the host asked ({@code PLUGIN_MULTIPLEX_GRPC}); older hosts split the
 *     line into at most 6 fields and would misread a 7th
 */
public record HandshakeLine(
    int appProtocolVersion, ListenAddress address, String serverCertificate, Optional<Boolean> multiplexSupported) {
  /** go-plugin's own protocol version; every go-plugin host speaks 1. */
  public static final int CORE_PROTOCOL_VERSION = 1;

  public static final String PROTOCOL_GRPC = "grpc";

  public HandshakeLine {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(serverCertificate, "serverCertificate");
    Objects.requireNonNull(multiplexSupported, "multiplexSupported");
    if (serverCertificate.indexOf('|') >= 0 || serverCertificate.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("the certificate field must be unpadded base64 on one line");
    }
  }

  /** The line, without the trailing newline. */
  public String format() {
    String line =
        CORE_PROTOCOL_VERSION
            + "|"
            + appProtocolVersion
            + "|"
            + address.network()
            + "|"
            + address.address()
            + "|"
            + PROTOCOL_GRPC
            + "|"
            + serverCertificate;
    return multiplexSupported.map(supported -> line + "|" + supported).orElse(line);
  }

  /** Reads a line as a host would (useful for tests and for tools that launch a bridge plugin). */
  public static HandshakeLine parse(String line) {
    String[] parts = line.strip().split("\\|", -1);
    if (parts.length < 6 || parts.length > 7) {
      throw new IllegalArgumentException("a handshake line has 6 or 7 '|'-separated fields, got: " + line);
    }
    int core;
    int app;
    try {
      core = Integer.parseInt(parts[0]);
      app = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("handshake protocol versions must be integers, got: " + line, e);
    }
    if (core != CORE_PROTOCOL_VERSION) {
      throw new IllegalArgumentException("unsupported core protocol version " + core + " in: " + line);
    }
    if (!parts[4].equals(PROTOCOL_GRPC)) {
      throw new IllegalArgumentException("unsupported protocol '" + parts[4] + "' in: " + line);
    }
    Optional<Boolean> multiplex = Optional.empty();
    if (parts.length == 7) {
      if (!parts[6].equals("true") && !parts[6].equals("false")) {
        throw new IllegalArgumentException("the multiplexing field must be true or false, got: " + line);
      }
      multiplex = Optional.of(Boolean.parseBoolean(parts[6]));
    }
    return new HandshakeLine(app, new ListenAddress(parts[2], parts[3]), parts[5], multiplex);
  }
}
