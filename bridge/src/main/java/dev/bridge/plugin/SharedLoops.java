package dev.bridge.plugin;

import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Event loops shared by many small servers and channels (the broker's), so that each brokered connection does not
 * start threads of its own; daemon threads, released by {@link #close}.
 *
 * @param boss accepts connections
 * @param workers runs them (and client channels)
 * @param epoll whether they are epoll loops (Unix sockets need them), else NIO
 */
public record SharedLoops(EventLoopGroup boss, EventLoopGroup workers, boolean epoll) implements AutoCloseable {
  /** Fresh loops named after {@code name}: epoll where Netty's native transport loads, else NIO. */
  public static SharedLoops create(String name) {
    boolean epoll = Listeners.unixSocketsAvailable();
    return new SharedLoops(
        Listeners.eventLoops(1, name + "-boss", Listeners.ioFactory()),
        Listeners.eventLoops(Math.max(2, Runtime.getRuntime().availableProcessors()), name, Listeners.ioFactory()),
        epoll);
  }

  /** Stops the loops, waiting at most {@code timeout}; whatever still runs on them is cut off. */
  public void close(Duration timeout) throws InterruptedException {
    boss.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
    workers.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
    boss.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    workers.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    // No quiet period, no waiting: the loops are idle by the time their owner closes them.
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
