package dev.bridge.plugin.broker;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.util.Objects;
import java.util.Optional;

/**
 * The TLS of brokered connections under AutoMTLS, as go-plugin uses its one TLS configuration for them: servers the
 * plugin offers present its certificate and require the host's (the main server's context); connections it dials
 * present its certificate and trust only the host's, server name {@code localhost}. Both empty: plain text.
 */
public record BrokerTls(Optional<SslContext> server, Optional<SslContext> client) {
  /** The authority (TLS server name) of connections to the host, as in go-plugin's certificates. */
  public static final String HOST_NAME = "localhost";

  public BrokerTls {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(client, "client");
    if (server.isPresent() != client.isPresent()) {
      throw new IllegalArgumentException("brokered TLS is on both ways or off both ways");
    }
  }

  public static BrokerTls plaintext() {
    return new BrokerTls(Optional.empty(), Optional.empty());
  }

  /** Builds a channel to the host with this TLS (or plain text) and go-plugin's server name. */
  ManagedChannel channelToHost(NettyChannelBuilder builder, int maxMessageSize) {
    // go-plugin's certificates name localhost, and Go's server ignores the authority otherwise.
    builder.overrideAuthority(HOST_NAME).maxInboundMessageSize(maxMessageSize);
    if (client.isPresent()) {
      builder.sslContext(client.get());
    } else {
      builder.usePlaintext();
    }
    return builder.build();
  }
}
