package dev.bridge.plugin.mux;

import dev.bridge.yamux.YamuxStream;
import io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.local.LocalAddress;
import io.grpc.netty.shaded.io.netty.channel.local.LocalServerChannel;
import java.io.IOException;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The dialing side of a connection over a yamux stream: a gRPC client channel points at this in-JVM address, and each
 * connection it makes there gets a stream of its own from {@link Opener} (for the broker, a knock, the host's ack,
 * then a new stream, as go-plugin's {@code muxDial} does per connection), piped to it. A connection whose stream
 * cannot be opened is closed, which the gRPC channel sees as the connection failing, with the reason logged.
 */
public final class StreamDialer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(StreamDialer.class.getName());

  /** Opens the stream for one connection; may block (it runs on a virtual thread). */
  @FunctionalInterface
  public interface Opener {
    YamuxStream open() throws IOException;
  }

  private final LocalAddress address;
  private final Channel server;

  private StreamDialer(LocalAddress address, Channel server) {
    this.address = address;
    this.server = server;
  }

  /** Listens on a fresh in-JVM address; {@code purpose} names it in thread dumps. */
  public static StreamDialer start(EventLoopGroup loops, String purpose, Opener opener) throws IOException {
    LocalAddress address = InJvmLoops.freshAddress(purpose);
    try {
      Channel server = new ServerBootstrap()
          .group(loops)
          .channel(LocalServerChannel.class)
          .childOption(ChannelOption.AUTO_READ, false)
          .childHandler(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
              Channel connection = ctx.channel();
              Thread.ofVirtual().name("yamux-dial-" + purpose).start(() -> openFor(connection, opener, purpose));
              ctx.fireChannelActive();
            }
          })
          .bind(address)
          .sync()
          .channel();
      return new StreamDialer(address, server);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while binding an in-JVM address", e);
    }
  }

  /** Where the gRPC channel connects. */
  public LocalAddress address() {
    return address;
  }

  @Override
  public void close() {
    server.close();
  }

  private static void openFor(Channel connection, Opener opener, String purpose) {
    YamuxStream stream;
    try {
      stream = opener.open();
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "could not open a yamux stream for a connection",
          Map.of("purpose", purpose, "error", String.valueOf(e.getMessage())));
      connection.close();
      return;
    }
    StreamPipe.attach(connection, stream);
  }
}
