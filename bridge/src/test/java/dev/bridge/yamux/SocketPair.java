package dev.bridge.yamux;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** Two connected Unix-socket channels, as a real session has: blocking, one reader and one writer at a time each. */
record SocketPair(SocketChannel accepted, SocketChannel dialled) implements AutoCloseable {
  static SocketPair open() throws IOException {
    Path dir = Files.createTempDirectory("yamux");
    Path path = dir.resolve("s");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(path));
      SocketChannel dialled = SocketChannel.open(UnixDomainSocketAddress.of(path));
      SocketChannel accepted = server.accept();
      return new SocketPair(accepted, dialled);
    } finally {
      Files.deleteIfExists(path);
      Files.deleteIfExists(dir);
    }
  }

  @Override
  public void close() throws IOException {
    accepted.close();
    dialled.close();
  }
}
