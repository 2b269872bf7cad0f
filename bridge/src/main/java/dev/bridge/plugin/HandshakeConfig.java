package dev.bridge.plugin;

import java.util.List;
import java.util.Objects;

/**
 * What the host and this plugin must agree on before talking: the magic cookie the host puts in our environment
 * and the application protocol versions this plugin can speak.
 *
 * @param magicCookieKey environment variable the host sets to prove it launched us
 * @param magicCookieValue the value that variable must hold, or {@value #ANY_VALUE}: any non-empty value, for hosts that
 *     make a new random one at each launch (their own Go plugins accept whatever is set)
 * @param appProtocolVersions the application protocol versions this plugin can serve, at least one
 */
public record HandshakeConfig(String magicCookieKey, String magicCookieValue, List<Integer> appProtocolVersions) {
  /** The cookie value that accepts any non-empty value of the key. */
  public static final String ANY_VALUE = "*";

  public HandshakeConfig {
    Objects.requireNonNull(magicCookieKey, "magic cookie key");
    Objects.requireNonNull(magicCookieValue, "magic cookie value");
    Objects.requireNonNull(appProtocolVersions, "app protocol versions");
    // go-plugin refuses to serve without a cookie: an empty one would accept any launch, which defeats its purpose.
    if (magicCookieKey.isBlank()) {
      throw new IllegalArgumentException("handshake config: the magic cookie key must not be empty");
    }
    if (magicCookieKey.contains("=") || magicCookieKey.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "handshake config: the magic cookie key '" + magicCookieKey + "' is not a valid environment variable name");
    }
    if (magicCookieValue.isEmpty()) {
      throw new IllegalArgumentException("handshake config: the magic cookie value must not be empty");
    }
    if (appProtocolVersions.isEmpty()) {
      throw new IllegalArgumentException("handshake config: at least one app protocol version is required");
    }
    for (Integer v : appProtocolVersions) {
      if (v == null || v < 1) {
        throw new IllegalArgumentException(
            "handshake config: app protocol versions must be positive integers, got " + appProtocolVersions);
      }
    }
    appProtocolVersions = List.copyOf(appProtocolVersions);
  }

  /** Whether the cookie variable's value (null when unset) is one this plugin accepts. */
  public boolean accepts(String value) {
    if (value == null || value.isEmpty()) {
      return false;
    }
    return magicCookieValue.equals(ANY_VALUE) || magicCookieValue.equals(value);
  }

  /** A config serving a single app protocol version. */
  public static HandshakeConfig of(String magicCookieKey, String magicCookieValue, int appProtocolVersion) {
    return new HandshakeConfig(magicCookieKey, magicCookieValue, List.of(appProtocolVersion));
  }
}
