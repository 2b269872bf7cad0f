package dev.bridge.plugin.broker;

import io.grpc.ManagedChannel;
import io.grpc.ServerServiceDefinition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * How brokered connections are made, the one part of the broker that differs with multiplexing: without it
 * ({@link SocketConnections}) the host's offer names an address to dial and each service the plugin offers listens
 * on a socket of its own; with it, each connection is a stream of the one yamux session, and ids travel as knocks.
 * Both exchange their messages through the broker's {@link ConnInfoExchange}.
 */
public interface BrokerConnections extends AutoCloseable {
  /**
   * A gRPC channel to the service the host offers under {@code id}. Fails with a {@code CallFailure} (UNAVAILABLE)
   * saying why, naming the id; never waits beyond the broker's time limits.
   */
  CompletableFuture<Dialed> dial(int id);

  /**
   * Serves {@code services} under {@code id} and tells the host it can dial them; fails with a {@code CallFailure}
   * saying why.
   */
  CompletableFuture<Serving> serve(int id, List<ServerServiceDefinition> services);

  /** Releases what the connections share (event loops); the broker closed every channel and server first. */
  @Override
  void close();

  /**
   * A dialed connection.
   *
   * @param description what it reaches, for messages: "broker id 3 (unix /tmp/plugin1)"
   */
  record Dialed(ManagedChannel channel, String description) {}

  /** A service being served under an id until stopped. */
  interface Serving {
    /** What it serves on, for messages: "broker id 3 (unix /tmp/plugin1)". */
    String description();

    /**
     * Stops accepting calls, lets running ones finish within {@code grace}, then cuts them and releases the
     * listener (socket file included). Returns once done.
     */
    void stop(Duration grace) throws InterruptedException;
  }
}
