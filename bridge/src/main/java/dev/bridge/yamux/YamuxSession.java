package dev.bridge.yamux;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ByteChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A yamux session (hashicorp/yamux spec.md) over one connection: either side opens streams (the client odd ids, the
 * server even ones), accepts the peer's, pings, and says go-away.
 *
 * <p>Threads: one platform thread receives frames and dispatches them to streams without ever blocking on a stream's
 * reader (received data is buffered up to the stream's window, which the sender must respect). Frames are written by
 * whichever thread produces them, one at a time ({@link FrameIo}). Answers to the peer's pings are written from a
 * virtual thread, so that the receive thread never waits on the connection's send side (a peer that stops reading
 * would otherwise stop this side reading too). Keep-alive pings run on their own virtual thread.
 *
 * <p>A session ends when the connection ends or fails, on a protocol error (after a protocol-error go-away), when a
 * keep-alive ping goes unanswered, or by {@link #close()}; every stream then fails its waiting reads and writes.
 */
public final class YamuxSession implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(YamuxSession.class.getName());

  private final FrameIo io;
  private final YamuxConfig config;
  private final boolean client;
  private final String name;
  private final Map<Integer, YamuxStream> streams = new ConcurrentHashMap<>();
  private final AtomicLong nextStreamId;
  private final ReentrantLock acceptLock = new ReentrantLock();
  private final Condition acceptable = acceptLock.newCondition();
  private final ArrayDeque<YamuxStream> acceptQueue = new ArrayDeque<>();
  private final Map<Integer, CompletableFuture<Void>> pings = new ConcurrentHashMap<>();
  private final AtomicInteger nextPingId = new AtomicInteger();
  private final CompletableFuture<IOException> closed = new CompletableFuture<>();
  private volatile boolean localGoAway;
  private volatile boolean remoteGoAway;

  private YamuxSession(ByteChannel connection, YamuxConfig config, boolean client, String name) {
    this.io = new FrameIo(connection);
    this.config = config;
    this.client = client;
    this.name = name;
    this.nextStreamId = new AtomicLong(client ? 1 : 2);
  }

  /** Starts the server side (the side that accepted the connection; opens even-numbered streams). */
  public static YamuxSession server(ByteChannel connection, YamuxConfig config) {
    return start(new YamuxSession(connection, config, false, "yamux-server"));
  }

  /** Starts the client side (the side that dialled; opens odd-numbered streams). */
  public static YamuxSession client(ByteChannel connection, YamuxConfig config) {
    return start(new YamuxSession(connection, config, true, "yamux-client"));
  }

  private static YamuxSession start(YamuxSession session) {
    Thread.ofPlatform().name(session.name + "-recv").daemon(true).start(session::receiveLoop);
    if (!session.config.keepAliveInterval().isZero()) {
      Thread.ofVirtual().name(session.name + "-keepalive").start(session::keepAliveLoop);
    }
    return session;
  }

  public boolean isClient() {
    return client;
  }

  /**
   * Opens a stream: tells the peer with a window update carrying SYN. Data may be written at once, before the peer
   * accepts.
   *
   * @throws IOException when the session has ended, the peer said go-away, or the ids are used up
   */
  public YamuxStream open() throws IOException {
    checkOpen();
    if (remoteGoAway) {
      throw new IOException("the yamux peer is not accepting streams (it sent go-away)");
    }
    long next = nextStreamId.getAndAdd(2);
    if (next > 0xFFFF_FFFEL) {
      throw new IOException("yamux stream ids are used up on this session");
    }
    int id = (int) next;
    YamuxStream stream = new YamuxStream(this, id);
    streams.put(id, stream);
    sendControl(FrameHeader.TYPE_WINDOW_UPDATE, FrameHeader.FLAG_SYN, id, 0);
    return stream;
  }

  /**
   * The next stream the peer opened, acknowledged (ACK) as it is handed out; blocks until there is one.
   *
   * @throws IOException once the session has ended
   */
  public YamuxStream accept() throws IOException {
    YamuxStream stream;
    acceptLock.lock();
    try {
      while ((stream = acceptQueue.pollFirst()) == null) {
        checkOpen();
        try {
          acceptable.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while accepting a yamux stream");
        }
      }
    } finally {
      acceptLock.unlock();
    }
    sendControl(FrameHeader.TYPE_WINDOW_UPDATE, FrameHeader.FLAG_ACK, stream.id(), 0);
    return stream;
  }

  /** Measures a round trip: sends a ping and waits at most {@code timeout} for its answer. */
  public Duration ping(Duration timeout) throws IOException {
    checkOpen();
    int id = nextPingId.incrementAndGet();
    CompletableFuture<Void> answer = new CompletableFuture<>();
    pings.put(id, answer);
    long start = System.nanoTime();
    // Sent from another thread so that the time limit covers the send too: a peer that stops reading leaves every
    // write blocked, and the keep-alive must still notice it and end the session (which unblocks those writes).
    FrameHeader ping = new FrameHeader(FrameHeader.TYPE_PING, FrameHeader.FLAG_SYN, 0, id);
    Thread.ofVirtual().name(name + "-ping").start(() -> {
      try {
        io.write(ping);
      } catch (IOException e) {
        answer.completeExceptionally(e);
      }
    });
    try {
      answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return Duration.ofNanos(System.nanoTime() - start);
    } catch (TimeoutException e) {
      throw new IOException("the yamux peer did not answer a ping within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      throw new IOException("yamux ping failed: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for a yamux ping");
    } finally {
      pings.remove(id);
    }
  }

  /** Tells the peer this side accepts no more streams; the peer's later SYNs are reset. Streams open go on. */
  public void goAway(int code) throws IOException {
    localGoAway = true;
    sendControl(FrameHeader.TYPE_GO_AWAY, 0, 0, code);
  }

  /** Whether the peer said go-away (this side can open no more streams). */
  public boolean remoteGoAway() {
    return remoteGoAway;
  }

  /** Streams currently open (neither both half-closed nor reset). */
  public int streamCount() {
    return streams.size();
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  /** Completes, with the reason, when the session has ended. */
  public CompletableFuture<IOException> closed() {
    return closed.copy();
  }

  /** Ends the session and its connection at once; open streams fail. Idempotent. */
  @Override
  public void close() {
    shutDown(new IOException("the yamux session was closed"));
  }

  // --- for streams ---

  void sendData(int streamId, byte[] payload, int offset, int length) throws IOException {
    checkOpen();
    try {
      io.write(new FrameHeader(FrameHeader.TYPE_DATA, 0, streamId, length), payload, offset, length);
    } catch (IOException e) {
      shutDown(e);
      throw e;
    }
  }

  void sendControl(int type, int flags, int streamId, int length) throws IOException {
    checkOpen();
    try {
      io.write(new FrameHeader(type, flags, streamId, length));
    } catch (IOException e) {
      shutDown(e);
      throw e;
    }
  }

  void forget(YamuxStream stream) {
    streams.remove(stream.id(), stream);
  }

  // --- receiving ---

  private void receiveLoop() {
    IOException end;
    try {
      while (true) {
        FrameHeader header = io.readHeader();
        if (header == null) {
          end = new EOFException("the yamux peer closed the connection");
          break;
        }
        dispatch(header);
      }
    } catch (YamuxProtocolException e) {
      LOG.log(Level.FINE, "yamux protocol error", Map.of("session", name, "error", e.getMessage()));
      try {
        io.write(new FrameHeader(FrameHeader.TYPE_GO_AWAY, 0, 0, FrameHeader.GO_AWAY_PROTOCOL_ERROR));
      } catch (IOException ignored) {
        // The session ends anyway; the protocol error is the reason worth keeping.
      }
      end = e;
    } catch (IOException e) {
      end = e;
    } catch (RuntimeException e) {
      end = new IOException("yamux receive loop failed: " + e, e);
    }
    shutDown(end);
  }

  private void dispatch(FrameHeader header) throws IOException {
    switch (header.type()) {
      case FrameHeader.TYPE_DATA, FrameHeader.TYPE_WINDOW_UPDATE -> onStreamFrame(header);
      case FrameHeader.TYPE_PING -> onPing(header);
      case FrameHeader.TYPE_GO_AWAY -> onGoAway(header);
      default -> throw new YamuxProtocolException("unknown yamux frame type " + header.type());
    }
  }

  private void onStreamFrame(FrameHeader header) throws IOException {
    int id = header.streamId();
    boolean data = header.type() == FrameHeader.TYPE_DATA;
    if (data && header.unsignedLength() > YamuxConfig.INITIAL_STREAM_WINDOW) {
      // No window ever opened here exceeds the initial one: this cannot be honest data.
      throw new YamuxProtocolException("a yamux data frame of " + header.unsignedLength()
          + " bytes exceeds any receive window this side grants");
    }
    YamuxStream stream = streams.get(id);
    if (header.has(FrameHeader.FLAG_SYN)) {
      if (stream != null) {
        throw new YamuxProtocolException("the peer opened yamux stream " + Integer.toUnsignedString(id) + " twice");
      }
      if (id == 0 || (id % 2 == 1) == client) {
        throw new YamuxProtocolException("the peer opened yamux stream " + Integer.toUnsignedString(id)
            + ", an id of the wrong parity for the " + (client ? "server" : "client"));
      }
      stream = incoming(id);
    }
    if (stream == null) {
      // A stream already reset or finished here: drop what is still in flight for it.
      if (data) {
        io.skip(header.unsignedLength());
      }
      return;
    }
    if (data) {
      stream.onData(header.flags(), io.readPayload(header.length()));
    } else {
      stream.onWindowUpdate(header.flags(), header.unsignedLength());
    }
  }

  /** A stream the peer opened: queued for accept, or reset if this side said go-away or the backlog is full. */
  private YamuxStream incoming(int id) throws IOException {
    boolean refuse;
    YamuxStream stream = new YamuxStream(this, id);
    acceptLock.lock();
    try {
      refuse = localGoAway || acceptQueue.size() >= config.acceptBacklog();
      if (!refuse) {
        streams.put(id, stream);
        acceptQueue.addLast(stream);
        acceptable.signalAll();
      }
    } finally {
      acceptLock.unlock();
    }
    if (refuse) {
      LOG.log(Level.FINE, "refusing a yamux stream", Map.of("session", name, "stream", Integer.toUnsignedLong(id),
          "reason", localGoAway ? "go-away sent" : "accept backlog full"));
      answerLater(new FrameHeader(FrameHeader.TYPE_WINDOW_UPDATE, FrameHeader.FLAG_RST, id, 0));
      return null;
    }
    return stream;
  }

  private void onPing(FrameHeader header) {
    if (header.has(FrameHeader.FLAG_SYN)) {
      answerLater(new FrameHeader(FrameHeader.TYPE_PING, FrameHeader.FLAG_ACK, 0, header.length()));
    } else if (header.has(FrameHeader.FLAG_ACK)) {
      CompletableFuture<Void> waiting = pings.get(header.length());
      if (waiting != null) {
        waiting.complete(null);
      }
    }
  }

  private void onGoAway(FrameHeader header) {
    remoteGoAway = true;
    int code = header.length();
    if (code != FrameHeader.GO_AWAY_NORMAL) {
      LOG.log(Level.FINE, "the yamux peer said go-away with an error", Map.of("session", name,
          "code", code == FrameHeader.GO_AWAY_PROTOCOL_ERROR ? "protocol error"
              : code == FrameHeader.GO_AWAY_INTERNAL_ERROR ? "internal error" : Integer.toUnsignedString(code)));
    }
  }

  private void answerLater(FrameHeader answer) {
    Thread.ofVirtual().name(name + "-answer").start(() -> {
      try {
        if (!isClosed()) {
          io.write(answer);
        }
      } catch (IOException e) {
        shutDown(e);
      }
    });
  }

  private void keepAliveLoop() {
    while (!isClosed()) {
      try {
        closed.get(config.keepAliveInterval().toNanos(), TimeUnit.NANOSECONDS);
        return;
      } catch (TimeoutException e) {
        // Time for a ping.
      } catch (InterruptedException | ExecutionException e) {
        return;
      }
      try {
        ping(config.pingTimeout());
      } catch (IOException e) {
        if (!isClosed()) {
          shutDown(new IOException("yamux keep-alive failed: " + e.getMessage(), e));
        }
        return;
      }
    }
  }

  private void checkOpen() throws IOException {
    IOException reason = closed.getNow(null);
    if (reason != null) {
      throw new IOException("the yamux session has ended: " + reason.getMessage(), reason);
    }
  }

  private void shutDown(IOException reason) {
    if (!closed.complete(reason)) {
      return;
    }
    LOG.log(Level.FINE, "yamux session ended", Map.of("session", name, "reason", String.valueOf(reason.getMessage())));
    try {
      io.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing the yamux connection failed", Map.of("session", name, "error", String.valueOf(e)));
    }
    for (YamuxStream stream : List.copyOf(streams.values())) {
      stream.onSessionClosed(reason);
    }
    streams.clear();
    for (CompletableFuture<Void> ping : pings.values()) {
      ping.completeExceptionally(reason);
    }
    acceptLock.lock();
    try {
      acceptQueue.clear();
      acceptable.signalAll();
    } finally {
      acceptLock.unlock();
    }
  }
}
