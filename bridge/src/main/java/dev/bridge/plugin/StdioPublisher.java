package dev.bridge.plugin;

import com.google.protobuf.ByteString;
import dev.bridge.plugin.internal.StdioData;
import io.grpc.stub.ServerCallStreamObserver;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Carries what the plugin prints (script output) to the host over go-plugin's stdio stream.
 *
 * <p>Writers must never wait on the host: a slow, absent or stuck host must not stall a script. So output goes into a
 * bounded buffer and the oldest output is dropped (and counted) when it overflows. Output is sent to the host only as
 * fast as its stream accepts it (gRPC flow control), so the buffer is also what absorbs a slow reader.
 *
 * <p>go-plugin hosts subscribe once. Should a second subscription arrive, it takes over and the first is completed:
 * the newest subscriber is the one most likely to be alive (e.g. a reconnecting host).
 */
public final class StdioPublisher {
  /** Default bound of buffered, not yet sent output. */
  public static final int DEFAULT_BUFFER_BYTES = 1 << 20;
  // Bounds each message: hosts accept 4 MiB messages by default, and small messages keep interleaving fair.
  static final int MAX_CHUNK_BYTES = 32 * 1024;

  private static final Logger LOG = Logger.getLogger(StdioPublisher.class.getName());

  /** A run of output on one stream; the newest one grows in place so byte-at-a-time writers stay cheap. */
  private static final class Chunk {
    final StdioStream stream;
    byte[] bytes;
    int length;

    Chunk(StdioStream stream, byte[] source, int offset, int length) {
      this.stream = stream;
      this.bytes = new byte[Math.max(length, 256)];
      System.arraycopy(source, offset, bytes, 0, length);
      this.length = length;
    }

    void append(byte[] source, int offset, int count) {
      if (length + count > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.min(MAX_CHUNK_BYTES, Math.max(length + count, bytes.length * 2)));
      }
      System.arraycopy(source, offset, bytes, length, count);
      length += count;
    }

    /** Forgets the first {@code count} bytes. */
    void dropHead(int count) {
      System.arraycopy(bytes, count, bytes, 0, length - count);
      length -= count;
    }
  }

  private final int capacity;
  private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
  private int queuedBytes;
  private long droppedBytes;
  private long droppedSinceReported;
  private ServerCallStreamObserver<StdioData> subscriber;
  private boolean closed;

  public StdioPublisher() {
    this(DEFAULT_BUFFER_BYTES);
  }

  public StdioPublisher(int maxBufferedBytes) {
    if (maxBufferedBytes < 1) {
      throw new IllegalArgumentException("the stdio buffer must hold at least one byte, got " + maxBufferedBytes);
    }
    this.capacity = maxBufferedBytes;
  }

  /** Publishes a copy of {@code data}. Never blocks; never throws because of the host. */
  public void publish(StdioStream stream, byte[] data) {
    publish(stream, data, 0, data.length);
  }

  /** Publishes a copy of {@code data[offset, offset+length)}. Never blocks; never throws because of the host. */
  public void publish(StdioStream stream, byte[] data, int offset, int length) {
    Objects.requireNonNull(stream, "stream");
    Objects.checkFromIndexSize(offset, length, data.length);
    if (length == 0) {
      // go-plugin hosts would write nothing for it anyway; an empty message is pure overhead.
      return;
    }
    synchronized (this) {
      enqueue(stream, data, offset, length);
      drain();
    }
  }

  /** An OutputStream publishing everything written to it on {@code stream}, e.g. for a script engine's stdout. */
  public OutputStream outputStream(StdioStream stream) {
    Objects.requireNonNull(stream, "stream");
    return new OutputStream() {
      @Override
      public void write(int b) {
        publish(stream, new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        publish(stream, b, off, len);
      }
    };
  }

  /** Bytes of output dropped so far because the buffer was full. */
  public synchronized long droppedBytes() {
    return droppedBytes;
  }

  /** Bytes of output waiting for the host. */
  public synchronized int bufferedBytes() {
    return queuedBytes;
  }

  /** Whether a host is currently subscribed. */
  public synchronized boolean hasSubscriber() {
    return subscriber != null;
  }

  /**
   * Attaches a host's stream. Called from the gRPC handler, so it must set its handlers before returning.
   */
  void subscribe(ServerCallStreamObserver<StdioData> stream) {
    stream.setOnCancelHandler(() -> unsubscribe(stream));
    stream.setOnReadyHandler(
        () -> {
          synchronized (this) {
            drain();
          }
        });
    ServerCallStreamObserver<StdioData> previous;
    long dropped;
    synchronized (this) {
      if (closed) {
        stream.onCompleted();
        return;
      }
      previous = subscriber;
      subscriber = stream;
      dropped = droppedSinceReported;
      droppedSinceReported = 0;
      if (previous != null) {
        completeQuietly(previous);
      }
      drain();
    }
    if (previous != null) {
      LOG.log(Level.FINE, "a second stdio subscription replaced the first", Map.of());
    }
    if (dropped > 0) {
      LOG.log(
          Level.WARNING,
          "plugin output was dropped while no host was reading it",
          Map.of("dropped_bytes", dropped, "buffer_bytes", capacity));
    }
  }

  /** Ends the host's stream (for shutdown); output published afterwards is only buffered. */
  void close() {
    synchronized (this) {
      closed = true;
      if (subscriber != null) {
        completeQuietly(subscriber);
        subscriber = null;
      }
    }
  }

  private synchronized void unsubscribe(ServerCallStreamObserver<StdioData> stream) {
    if (subscriber == stream) {
      subscriber = null;
    }
  }

  // Caller holds the lock.
  private void enqueue(StdioStream stream, byte[] data, int offset, int length) {
    if (length > capacity) {
      // Only the newest `capacity` bytes could survive anyway.
      drop(length - capacity);
      offset += length - capacity;
      length = capacity;
    }
    Chunk last = queue.peekLast();
    if (last != null && last.stream == stream && last.length + length <= MAX_CHUNK_BYTES) {
      last.append(data, offset, length);
      queuedBytes += length;
    } else {
      for (int start = offset; start < offset + length; start += MAX_CHUNK_BYTES) {
        int size = Math.min(MAX_CHUNK_BYTES, offset + length - start);
        queue.addLast(new Chunk(stream, data, start, size));
        queuedBytes += size;
      }
    }
    while (queuedBytes > capacity) {
      Chunk oldest = queue.peekFirst();
      int excess = queuedBytes - capacity;
      if (oldest.length > excess) {
        // Keep the tail of the oldest chunk rather than losing all of it.
        oldest.dropHead(excess);
        queuedBytes -= excess;
        drop(excess);
      } else {
        queue.pollFirst();
        queuedBytes -= oldest.length;
        drop(oldest.length);
      }
    }
  }

  private void drop(long bytes) {
    droppedBytes += bytes;
    droppedSinceReported += bytes;
  }

  // Caller holds the lock. onNext only queues inside gRPC, so this never waits on the network.
  private void drain() {
    ServerCallStreamObserver<StdioData> target = subscriber;
    while (target != null && !queue.isEmpty() && target.isReady() && !target.isCancelled()) {
      Chunk chunk = queue.pollFirst();
      queuedBytes -= chunk.length;
      try {
        target.onNext(
            StdioData.newBuilder()
                .setChannel(chunk.stream.channel())
                .setData(ByteString.copyFrom(chunk.bytes, 0, chunk.length))
                .build());
      } catch (RuntimeException e) {
        // The stream died under us (cancelled between the check and the send); keep the output for a next host.
        queue.addFirst(chunk);
        queuedBytes += chunk.length;
        subscriber = null;
        LOG.log(Level.FINE, "stdio stream failed; buffering again", Map.of("error", String.valueOf(e)));
        return;
      }
    }
  }

  private static void completeQuietly(ServerCallStreamObserver<StdioData> stream) {
    if (stream.isCancelled()) {
      return;
    }
    try {
      stream.onCompleted();
    } catch (IllegalStateException e) {
      // Already completed or cancelled concurrently: there is nothing left to end.
      LOG.log(Level.FINE, "stdio stream already ended", Map.of("error", String.valueOf(e)));
    }
  }
}
