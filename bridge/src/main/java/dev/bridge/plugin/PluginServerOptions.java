package dev.bridge.plugin;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * How {@link PluginServer} runs, beyond what the host's environment decides.
 *
 * @param forceTcp listen on TCP 127.0.0.1 even where Unix sockets are available
 * @param shutdownGrace how long in-flight calls may finish once a stop began before they are cut; go-plugin hosts give
 *     the whole process 2 s to exit after asking it to, so keep this well below that
 * @param stdio where plugin output goes; pass the one the script engine already writes into so that output printed
 *     before the server starts is kept
 * @param handleSignals ignore SIGINT (the host owns Ctrl-C and will ask for shutdown itself) and stop gracefully on
 *     SIGTERM via a shutdown hook; off for tests and embedding
 * @param maxInboundMessageSize the largest request message, in bytes, the server reads; a larger one fails its call
 *     with {@code RESOURCE_EXHAUSTED} (gRPC's own check); default 4 MiB, as in gRPC
 * @param autoMtls the AutoMTLS set-up, started beforehand from the host's certificates ({@link
 *     AutoMtlsSetup#startCreating}); empty: the server makes it when the host asks for AutoMTLS
 */
public record PluginServerOptions(
    boolean forceTcp,
    Duration shutdownGrace,
    StdioPublisher stdio,
    boolean handleSignals,
    int maxInboundMessageSize,
    Optional<CompletableFuture<AutoMtlsSetup>> autoMtls) {

  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofMillis(750);
  /** gRPC's default. */
  public static final int DEFAULT_MAX_INBOUND_MESSAGE_SIZE = 4 * 1024 * 1024;

  public PluginServerOptions {
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    Objects.requireNonNull(stdio, "stdio");
    Objects.requireNonNull(autoMtls, "autoMtls");
    if (shutdownGrace.isNegative()) {
      throw new IllegalArgumentException("shutdownGrace must not be negative, got " + shutdownGrace);
    }
    if (maxInboundMessageSize <= 0) {
      throw new IllegalArgumentException("maxInboundMessageSize must be positive, got " + maxInboundMessageSize);
    }
  }

  public PluginServerOptions(boolean forceTcp, Duration shutdownGrace, StdioPublisher stdio, boolean handleSignals) {
    this(forceTcp, shutdownGrace, stdio, handleSignals, DEFAULT_MAX_INBOUND_MESSAGE_SIZE, Optional.empty());
  }

  /** Unix socket where possible, 750 ms grace, a fresh stdio publisher, signals handled, 4 MiB messages. */
  public static PluginServerOptions defaults() {
    return new PluginServerOptions(false, DEFAULT_SHUTDOWN_GRACE, new StdioPublisher(), true);
  }

  public PluginServerOptions withForceTcp(boolean value) {
    return new PluginServerOptions(value, shutdownGrace, stdio, handleSignals, maxInboundMessageSize, autoMtls);
  }

  public PluginServerOptions withShutdownGrace(Duration value) {
    return new PluginServerOptions(forceTcp, value, stdio, handleSignals, maxInboundMessageSize, autoMtls);
  }

  public PluginServerOptions withStdio(StdioPublisher value) {
    return new PluginServerOptions(forceTcp, shutdownGrace, value, handleSignals, maxInboundMessageSize, autoMtls);
  }

  public PluginServerOptions withHandleSignals(boolean value) {
    return new PluginServerOptions(forceTcp, shutdownGrace, stdio, value, maxInboundMessageSize, autoMtls);
  }

  public PluginServerOptions withMaxInboundMessageSize(int value) {
    return new PluginServerOptions(forceTcp, shutdownGrace, stdio, handleSignals, value, autoMtls);
  }

  public PluginServerOptions withAutoMtls(CompletableFuture<AutoMtlsSetup> value) {
    return new PluginServerOptions(
        forceTcp, shutdownGrace, stdio, handleSignals, maxInboundMessageSize, Optional.of(value));
  }
}
