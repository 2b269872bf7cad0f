package dev.bridge.plugin.mux;

import dev.bridge.yamux.YamuxConfig;
import dev.bridge.yamux.YamuxSession;
import dev.bridge.yamux.YamuxStream;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.local.LocalAddress;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The plugin's side of go-plugin's broker multiplexing (its {@code internal/grpcmux} GRPCServerMuxer): the listener
 * the host was told of accepts exactly one connection, which carries a yamux session with this side as the server.
 * Every stream the host opens is a gRPC connection: to the main server, or, right after the host knocked for a
 * broker id this side serves ({@link #expectStream}), to that id's server. Streams this side opens
 * ({@link #openStream}) are connections to services the host offers, after a knock of ours.
 */
public final class ServerMuxer implements AutoCloseable {
  /** go-plugin's wait for the session, and for knocks. */
  public static final Duration SESSION_WAIT = Duration.ofSeconds(5);
  private static final Logger LOG = Logger.getLogger(ServerMuxer.class.getName());

  private final ServerSocketChannel listener;
  private final LocalAddress mainServer;
  private final EventLoopGroup loops;
  private final YamuxConfig config;
  private final CompletableFuture<YamuxSession> session = new CompletableFuture<>();
  private final ConcurrentLinkedQueue<Knocked> knocked = new ConcurrentLinkedQueue<>();

  private record Knocked(int id, LocalAddress target) {}

  private ServerMuxer(ServerSocketChannel listener, LocalAddress mainServer, EventLoopGroup loops, YamuxConfig config) {
    this.listener = listener;
    this.mainServer = mainServer;
    this.loops = loops;
    this.config = config;
  }

  /**
   * Accepts the host's connection on {@code listener} and serves its streams, on a thread of its own; streams go to
   * {@code mainServer} unless knocked for, over in-JVM channels on {@code loops}.
   */
  public static ServerMuxer start(
      ServerSocketChannel listener, LocalAddress mainServer, EventLoopGroup loops, YamuxConfig config) {
    ServerMuxer muxer = new ServerMuxer(listener, mainServer, loops, config);
    Thread.ofPlatform().name("yamux-accept").daemon(true).start(muxer::run);
    return muxer;
  }

  /**
   * The host knocked for broker id {@code id} and is about to open its stream: the next stream it opens goes to
   * {@code target}. Call before acknowledging the knock, as go-plugin's AcceptKnock does.
   */
  public void expectStream(int id, LocalAddress target) {
    knocked.add(new Knocked(id, target));
  }

  /** Opens a stream to the host (for a connection to a service it offers, once it acknowledged our knock). */
  public YamuxStream openStream() throws IOException {
    return session().open();
  }

  /** Pipes a stream to an in-JVM gRPC server; a failed connection resets the stream. */
  public void pipeTo(YamuxStream stream, LocalAddress target) {
    StreamPipe.connect(stream, target, loops);
  }

  /** The in-JVM event loops the pipes run on (for the channels of dialed connections). */
  public EventLoopGroup loops() {
    return loops;
  }

  /** The session, once the host connected; fails when it did not within {@link #SESSION_WAIT}. */
  public YamuxSession session() throws IOException {
    try {
      return session.get(SESSION_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IOException("the host did not connect for multiplexing within " + SESSION_WAIT.toSeconds() + " s");
    } catch (ExecutionException e) {
      throw new IOException("no multiplexed session: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the multiplexed session", e);
    }
  }

  /** Ends the session (the host sees its connection close) and stops listening. */
  @Override
  public void close() {
    closeListener();
    session.completeExceptionally(new IOException("the plugin is stopping"));
    YamuxSession open = session.exceptionally(failure -> null).getNow(null);
    if (open != null) {
      open.close();
    }
  }

  private void run() {
    YamuxSession yamux;
    try {
      SocketChannel connection = listener.accept();
      // Exactly one connection: every later one would be a second session the host never asked for.
      closeListener();
      yamux = YamuxSession.server(connection, config);
    } catch (IOException e) {
      if (listener.isOpen()) {
        LOG.log(Level.WARNING, "accepting the host's multiplexed connection failed", Map.of("error", String.valueOf(e)));
      }
      session.completeExceptionally(e);
      return;
    }
    if (!session.complete(yamux)) {
      yamux.close();
      return;
    }
    LOG.log(Level.FINE, "multiplexed session with the host started", Map.of());
    while (true) {
      YamuxStream stream;
      try {
        stream = yamux.accept();
      } catch (IOException e) {
        LOG.log(Level.FINE, "multiplexed session ended", Map.of("reason", String.valueOf(e.getMessage())));
        return;
      }
      Knocked knock = knocked.poll();
      if (knock != null) {
        LOG.log(Level.FINE, "stream for a brokered server", Map.of("service_id", Integer.toUnsignedLong(knock.id()),
            "stream", Integer.toUnsignedLong(stream.id())));
      }
      pipeTo(stream, knock == null ? mainServer : knock.target());
    }
  }

  private void closeListener() {
    try {
      listener.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing the multiplexing listener failed", Map.of("error", String.valueOf(e)));
    }
  }
}
