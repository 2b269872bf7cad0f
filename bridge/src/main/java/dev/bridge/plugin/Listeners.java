package dev.bridge.plugin;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.IoHandlerFactory;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Binds and starts the gRPC server on the kind of listener the host can reach. Each server runs on event loops of
 * its own, released with it, unless it is given shared ones ({@link SharedLoops}, for the broker's many small
 * servers).
 */
public final class Listeners {
  // sun_path is 108 bytes on Linux, including the terminating NUL.
  static final int MAX_SOCKET_PATH_BYTES = 107;
  private static final int SOCKET_NAME_ATTEMPTS = 16;
  private static final byte[] LOOPBACK = {127, 0, 0, 1};
  private static final Logger LOG = Logger.getLogger(Listeners.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();

  private Listeners() {}

  /** Whether Unix sockets can be served (they need Netty's native epoll transport). */
  static boolean unixSocketsAvailable() {
    return Epoll.isAvailable();
  }

  /** Why Unix sockets cannot be served, for logs. */
  static Throwable unixSocketsUnavailabilityCause() {
    return Epoll.unavailabilityCause();
  }

  /**
   * Listens on a fresh socket file {@code plugin<random>} in {@code dir}, handed to {@code group} with mode 0660 when
   * a group is given (so that a host running as another user of that group can connect).
   */
  static BoundServer bindUnix(
      Path dir, Optional<GroupPrincipal> group, Consumer<NettyServerBuilder> configure)
      throws IOException {
    return bindUnix(dir, group, configure, Optional.empty());
  }

  /** The same on {@code shared} event loops when given (which the server then does not release). */
  static BoundServer bindUnix(
      Path dir, Optional<GroupPrincipal> group, Consumer<NettyServerBuilder> configure, Optional<SharedLoops> shared)
      throws IOException {
    IOException lastFailure = null;
    for (int attempt = 0; attempt < SOCKET_NAME_ATTEMPTS; attempt++) {
      Path path = dir.toAbsolutePath().resolve("plugin" + Integer.toUnsignedString(RANDOM.nextInt()));
      int pathBytes = path.toString().getBytes(StandardCharsets.UTF_8).length;
      if (pathBytes > MAX_SOCKET_PATH_BYTES) {
        throw new IOException(
            "the Unix socket path "
                + path
                + " is "
                + pathBytes
                + " bytes, over the system limit of "
                + MAX_SOCKET_PATH_BYTES
                + "; set "
                + PluginEnvironment.UNIX_SOCKET_DIR_ENV
                + " to a shorter directory");
      }
      if (Files.exists(path)) {
        continue;
      }
      EventLoopGroup boss =
          shared.map(SharedLoops::boss).orElseGet(() -> eventLoops(1, "plugin-unix-boss", EpollIoHandler.newFactory()));
      EventLoopGroup workers =
          shared.map(SharedLoops::workers).orElseGet(() -> eventLoops(
              Math.max(2, Runtime.getRuntime().availableProcessors()), "plugin-unix", EpollIoHandler.newFactory()));
      EventLoopGroup[] owned = shared.isPresent() ? new EventLoopGroup[0] : new EventLoopGroup[] {boss, workers};
      NettyServerBuilder builder =
          NettyServerBuilder.forAddress(new DomainSocketAddress(path.toString()))
              .channelType(EpollServerDomainSocketChannel.class)
              .bossEventLoopGroup(boss)
              .workerEventLoopGroup(workers)
              // grpc-java asks for TCP keepalive on every accepted connection; a Unix socket has no such option and
              // Netty would log a warning per connection into the host's log. A null value removes the option.
              .withChildOption(ChannelOption.SO_KEEPALIVE, null);
      configure.accept(builder);
      Server server = builder.build();
      BoundServer bound =
          new BoundServer(server, new ListenAddress(ListenAddress.UNIX, path.toString()), Optional.of(path), owned);
      try {
        server.start();
      } catch (IOException e) {
        // Most likely another process took the name between our check and the bind: try another name.
        lastFailure = e;
        server.shutdownNow();
        releaseQuietly(bound);
        continue;
      }
      if (group.isPresent()) {
        try {
          PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
          view.setGroup(group.get());
          view.setPermissions(PosixFilePermissions.fromString("rw-rw----"));
        } catch (IOException | RuntimeException e) {
          server.shutdownNow();
          releaseQuietly(bound);
          throw new IOException(
              "could not hand the socket "
                  + path
                  + " to group "
                  + group.get().getName()
                  + " ("
                  + PluginEnvironment.UNIX_SOCKET_GROUP_ENV
                  + "): "
                  + e,
              e);
        }
      }
      return bound;
    }
    throw new IOException("could not bind a Unix socket in " + dir + " after " + SOCKET_NAME_ATTEMPTS + " tries", lastFailure);
  }

  /** Listens on the first free port of {@code ports} on 127.0.0.1 (never another interface: the host is local). */
  static BoundServer bindTcp(PortRange ports, Consumer<NettyServerBuilder> configure) throws IOException {
    return bindTcp(ports, configure, Optional.empty());
  }

  /** The same on {@code shared} event loops when given (which the server then does not release). */
  static BoundServer bindTcp(PortRange ports, Consumer<NettyServerBuilder> configure, Optional<SharedLoops> shared)
      throws IOException {
    InetAddress loopback = InetAddress.getByAddress(LOOPBACK);
    // Own event loops rather than grpc-java's shared ones: the process exits noticeably faster when nothing of
    // grpc-java's shared resources is left to wind down, and these are released with the server like the Unix ones.
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = ioFactory();
    EventLoopGroup boss = shared.map(SharedLoops::boss).orElseGet(() -> eventLoops(1, "plugin-tcp-boss", io));
    EventLoopGroup workers = shared.map(SharedLoops::workers).orElseGet(
        () -> eventLoops(Math.max(2, Runtime.getRuntime().availableProcessors()), "plugin-tcp", io));
    EventLoopGroup[] owned = shared.isPresent() ? new EventLoopGroup[0] : new EventLoopGroup[] {boss, workers};
    IOException lastFailure = null;
    for (int port = ports.min(); port <= ports.max(); port++) {
      NettyServerBuilder builder =
          NettyServerBuilder.forAddress(new InetSocketAddress(loopback, port))
              .channelType(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
              .bossEventLoopGroup(boss)
              .workerEventLoopGroup(workers);
      configure.accept(builder);
      Server server = builder.build();
      try {
        server.start();
      } catch (IOException e) {
        lastFailure = e;
        server.shutdownNow();
        continue;
      }
      ListenAddress address = new ListenAddress(ListenAddress.TCP, "127.0.0.1:" + server.getPort());
      return new BoundServer(server, address, Optional.empty(), owned);
    }
    for (EventLoopGroup group : owned) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
    throw new IOException(
        "could not listen on any TCP port of 127.0.0.1 within "
            + ports.min()
            + ".."
            + ports.max()
            + " ("
            + PortRange.MIN_ENV
            + ".."
            + PortRange.MAX_ENV
            + ")",
        lastFailure);
  }

  /** The I/O the event loops use: epoll where Netty's native transport loads, else NIO (then TCP only). */
  static IoHandlerFactory ioFactory() {
    return Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
  }

  static EventLoopGroup eventLoops(int threads, String name, IoHandlerFactory io) {
    // Daemon threads: a forgotten event loop must not keep the process alive after the host asked it to end.
    return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), io);
  }

  private static void releaseQuietly(BoundServer bound) {
    try {
      bound.release(Duration.ofSeconds(1));
    } catch (IOException e) {
      LOG.log(Level.WARNING, "could not clean up after a failed bind", Map.of("error", String.valueOf(e)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
