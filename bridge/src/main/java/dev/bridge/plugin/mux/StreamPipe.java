package dev.bridge.plugin.mux;

import dev.bridge.yamux.YamuxStream;
import io.grpc.netty.shaded.io.netty.bootstrap.Bootstrap;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelFuture;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.local.LocalAddress;
import io.grpc.netty.shaded.io.netty.channel.local.LocalChannel;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Copies bytes both ways between a yamux stream and an in-JVM Netty channel that leads to (or comes from) a gRPC
 * server or client, so that each stream is an ordinary gRPC connection, TLS included.
 *
 * <p>Each direction has a virtual thread, because both ends block: a yamux write waits for the peer's window, and
 * that wait must not happen on an event loop. The channel does not read on its own ({@code AUTO_READ} off): the
 * stream-bound thread asks for more only once it has written what it has, so a slow host holds back the gRPC side
 * instead of growing a buffer here.
 *
 * <p>Endings: the peer's FIN (or a reset) closes the channel; the channel closing sends FIN once everything read from
 * it was written. A failure resets the stream.
 */
public final class StreamPipe extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = Logger.getLogger(StreamPipe.class.getName());
  private static final int CHUNK = 32 * 1024;
  private static final Object END = new Object();

  private final YamuxStream stream;
  private final LinkedBlockingQueue<Object> fromChannel = new LinkedBlockingQueue<>();
  private volatile Channel channel;
  private boolean begun;

  private StreamPipe(YamuxStream stream) {
    this.stream = stream;
  }

  /**
   * Connects a new in-JVM channel to {@code target} (a gRPC server) on {@code loops} and pipes {@code stream} through
   * it; a failed connection resets the stream.
   */
  public static void connect(YamuxStream stream, LocalAddress target, EventLoopGroup loops) {
    ChannelFuture connecting = new Bootstrap()
        .group(loops)
        .channel(LocalChannel.class)
        .option(ChannelOption.AUTO_READ, false)
        .handler(new StreamPipe(stream))
        .connect(target);
    connecting.addListener(done -> {
      if (!done.isSuccess()) {
        LOG.log(Level.FINE, "could not reach the in-JVM server for a yamux stream",
            Map.of("stream", Integer.toUnsignedLong(stream.id()), "error", String.valueOf(done.cause())));
        try {
          stream.reset();
        } catch (IOException e) {
          LOG.log(Level.FINE, "could not reset a yamux stream", Map.of("error", String.valueOf(e.getMessage())));
        }
      }
    });
  }

  /** Starts the pipe on an already active channel (one accepted before its stream could be opened). */
  static void attach(Channel channel, YamuxStream stream) {
    channel.eventLoop().execute(() -> channel.pipeline().addLast(new StreamPipe(stream)));
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isRegistered() && ctx.channel().isActive()) {
      begin(ctx);
    } else if (ctx.channel().isRegistered() && !ctx.channel().isOpen()) {
      // Closed before the stream was there: end at once rather than wait for an inactive event that came already.
      begin(ctx);
      fromChannel.add(END);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    begin(ctx);
    ctx.fireChannelActive();
  }

  private void begin(ChannelHandlerContext ctx) {
    if (begun) {
      return;
    }
    begun = true;
    channel = ctx.channel();
    String name = "yamux-pipe-" + Integer.toUnsignedString(stream.id());
    Thread.ofVirtual().name(name + "-in").start(this::streamToChannel);
    Thread.ofVirtual().name(name + "-out").start(this::channelToStream);
    ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    fromChannel.add(msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    fromChannel.add(END);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.log(Level.FINE, "in-JVM channel of a yamux stream failed",
        Map.of("stream", Integer.toUnsignedLong(stream.id()), "error", String.valueOf(cause)));
    ctx.close();
  }

  /** The host's bytes into the channel; the host's FIN closes it. */
  private void streamToChannel() {
    try {
      while (true) {
        byte[] chunk = new byte[CHUNK];
        int n = stream.read(chunk, 0, chunk.length);
        if (n < 0) {
          break;
        }
        // Waiting for each write keeps at most one chunk in flight: the channel's own back-pressure.
        channel.writeAndFlush(Unpooled.wrappedBuffer(chunk, 0, n)).sync();
      }
    } catch (IOException e) {
      LOG.log(Level.FINE, "yamux stream ended abruptly",
          Map.of("stream", Integer.toUnsignedLong(stream.id()), "error", String.valueOf(e.getMessage())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // The channel closed under the write: the other direction ends the stream.
      LOG.log(Level.FINE, "in-JVM channel closed while writing",
          Map.of("stream", Integer.toUnsignedLong(stream.id()), "error", String.valueOf(e)));
    }
    channel.close();
  }

  /** The channel's bytes onto the stream; the channel's end half-closes it (FIN). */
  private void channelToStream() {
    boolean failed = false;
    try {
      while (true) {
        Object next = fromChannel.take();
        if (next == END) {
          break;
        }
        ByteBuf buffer = (ByteBuf) next;
        try {
          if (!failed) {
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.readBytes(bytes);
            stream.write(bytes, 0, bytes.length);
          }
        } catch (IOException e) {
          failed = true;
          channel.close();
        } finally {
          buffer.release();
        }
        if (fromChannel.isEmpty() && !failed) {
          channel.read();
        }
      }
      if (failed) {
        stream.reset();
      } else {
        stream.close();
      }
    } catch (IOException e) {
      LOG.log(Level.FINE, "could not end a yamux stream",
          Map.of("stream", Integer.toUnsignedLong(stream.id()), "error", String.valueOf(e.getMessage())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
