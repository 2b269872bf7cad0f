package dev.bridge.plugin;

import io.grpc.Server;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A started gRPC server together with the resources its listener owns: a socket file to delete and event loops to
 * stop once the server has terminated.
 */
public final class BoundServer {
  private final Server server;
  private final ListenAddress address;
  private final Optional<Path> socketFile;
  private final EventLoopGroup[] eventLoops;
  private final Optional<AutoCloseable> frontEnd;

  BoundServer(Server server, ListenAddress address, Optional<Path> socketFile, EventLoopGroup... eventLoops) {
    this(server, address, socketFile, null, eventLoops);
  }

  /**
   * With a {@code frontEnd} that carries connections to the server (the multiplexing session), closed first on
   * release.
   */
  BoundServer(
      Server server, ListenAddress address, Optional<Path> socketFile, AutoCloseable frontEnd,
      EventLoopGroup... eventLoops) {
    this.server = server;
    this.address = address;
    this.socketFile = socketFile;
    this.frontEnd = Optional.ofNullable(frontEnd);
    this.eventLoops = eventLoops;
  }

  public Server server() {
    return server;
  }

  public ListenAddress address() {
    return address;
  }

  public Optional<Path> socketFile() {
    return socketFile;
  }

  /**
   * Stops the event loops and deletes the socket file; call after the server has terminated.
   *
   * @throws IOException when the socket file could not be deleted
   */
  public void release(Duration timeout) throws IOException, InterruptedException {
    if (frontEnd.isPresent()) {
      try {
        frontEnd.get().close();
      } catch (Exception e) {
        throw new IOException("could not close " + frontEnd.get() + ": " + e, e);
      }
    }
    for (EventLoopGroup group : eventLoops) {
      // No quiet period: nothing is left to run on them and the host is waiting for the process to end.
      group.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
    for (EventLoopGroup group : eventLoops) {
      group.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
    if (socketFile.isPresent()) {
      Files.deleteIfExists(socketFile.get());
    }
  }
}
