package dev.bridge.warm;

import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * One plugin instance for the runtime to serve.
 *
 * @param request what its client sent: command line, working directory, environment
 * @param stdout reaches the client's stdout (the handshake line)
 * @param stderr reaches the client's stderr (log lines)
 * @param stopRequested completes when the instance must stop as a plugin does on SIGTERM: the client got the
 *     signal, the client is gone (the host killed it), or the runtime stops
 */
public record InstanceLaunch(LaunchRequest request, OutputStream stdout, OutputStream stderr,
    CompletableFuture<Void> stopRequested) {}
