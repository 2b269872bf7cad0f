package dev.bridge.plugin;

import java.util.Objects;

/**
 * Where the plugin listens, in the handshake's terms.
 *
 * @param network {@code unix} or {@code tcp}
 * @param address the socket path, or {@code 127.0.0.1:<port>}
 */
public record ListenAddress(String network, String address) {
  public static final String UNIX = "unix";
  public static final String TCP = "tcp";

  public ListenAddress {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(address, "address");
    if (!network.equals(UNIX) && !network.equals(TCP)) {
      throw new IllegalArgumentException("unknown network '" + network + "', expected unix or tcp");
    }
    if (address.isEmpty() || address.indexOf('|') >= 0 || address.indexOf('\n') >= 0) {
      // The handshake is one '|'-separated line; such an address would corrupt it.
      throw new IllegalArgumentException("address '" + address + "' cannot be announced in a handshake line");
    }
  }
}
