package dev.bridge.plugin;

import dev.bridge.plugin.mux.InJvmLoops;
import dev.bridge.plugin.mux.ServerMuxer;
import dev.bridge.yamux.YamuxConfig;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.local.LocalAddress;
import io.grpc.netty.shaded.io.netty.channel.local.LocalServerChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Listening when the host asked for multiplexing ({@code PLUGIN_MULTIPLEX_GRPC}): the gRPC server listens only
 * inside the JVM, and the socket the host is told of (Unix socket or TCP, chosen as without multiplexing) carries
 * one yamux session whose streams are piped to it ({@link ServerMuxer}). The server is configured exactly as it is
 * otherwise, TLS included, so every gRPC connection over a stream is the same as one over a socket.
 */
final class MultiplexedListener {
  private static final SecureRandom RANDOM = new SecureRandom();

  private MultiplexedListener() {}

  /** The started server and the muxer that feeds it. */
  record Bound(BoundServer server, ServerMuxer muxer) {}

  static Bound bind(PluginEnvironment environment, boolean tcp, Consumer<NettyServerBuilder> configure)
      throws IOException {
    EventLoopGroup loops = InJvmLoops.create("plugin-mux");
    LocalAddress inJvm = InJvmLoops.freshAddress("main");
    NettyServerBuilder builder = NettyServerBuilder.forAddress(inJvm)
        .channelType(LocalServerChannel.class)
        .bossEventLoopGroup(loops)
        .workerEventLoopGroup(loops)
        // An in-JVM channel has no TCP keepalive; without this Netty warns of an unknown option per connection.
        .withChildOption(ChannelOption.SO_KEEPALIVE, null);
    configure.accept(builder);
    Server server = builder.build();
    ServerSocketChannel listener = null;
    try {
      server.start();
      Optional<Path> socketFile = Optional.empty();
      ListenAddress address;
      if (tcp) {
        listener = bindTcp(environment.ports());
        InetSocketAddress bound = (InetSocketAddress) listener.getLocalAddress();
        address = new ListenAddress(ListenAddress.TCP, "127.0.0.1:" + bound.getPort());
      } else {
        Path path = freshSocketPath(environment.socketDir());
        listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(path));
        socketFile = Optional.of(path);
        address = new ListenAddress(ListenAddress.UNIX, path.toString());
        if (environment.socketGroup().isPresent()) {
          PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
          view.setGroup(environment.socketGroup().get());
          view.setPermissions(PosixFilePermissions.fromString("rw-rw----"));
        }
      }
      ServerMuxer muxer = ServerMuxer.start(listener, inJvm, loops, YamuxConfig.defaults());
      return new Bound(new BoundServer(server, address, socketFile, muxer, loops), muxer);
    } catch (IOException | RuntimeException e) {
      server.shutdownNow();
      if (listener != null) {
        listener.close();
      }
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  private static ServerSocketChannel bindTcp(PortRange ports) throws IOException {
    InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    IOException lastFailure = null;
    for (int port = ports.min(); port <= ports.max(); port++) {
      ServerSocketChannel channel = ServerSocketChannel.open();
      try {
        channel.bind(new InetSocketAddress(loopback, port));
        return channel;
      } catch (IOException e) {
        channel.close();
        lastFailure = e;
      }
    }
    throw new IOException("could not listen on any TCP port of 127.0.0.1 within " + ports.min() + ".." + ports.max()
        + " (" + PortRange.MIN_ENV + ".." + PortRange.MAX_ENV + ")", lastFailure);
  }

  private static Path freshSocketPath(Path dir) throws IOException {
    for (int attempt = 0; attempt < 16; attempt++) {
      Path path = dir.toAbsolutePath().resolve("plugin" + Integer.toUnsignedString(RANDOM.nextInt()));
      int bytes = path.toString().getBytes(StandardCharsets.UTF_8).length;
      if (bytes > Listeners.MAX_SOCKET_PATH_BYTES) {
        throw new IOException("the Unix socket path " + path + " is " + bytes + " bytes, over the system limit of "
            + Listeners.MAX_SOCKET_PATH_BYTES + "; set " + PluginEnvironment.UNIX_SOCKET_DIR_ENV
            + " to a shorter directory");
      }
      if (!Files.exists(path)) {
        return path;
      }
    }
    throw new IOException("could not find a free socket name in " + dir);
  }
}
