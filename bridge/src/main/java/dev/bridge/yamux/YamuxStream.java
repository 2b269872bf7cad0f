package dev.bridge.yamux;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One yamux stream: a reliable, ordered byte stream each way, with its own flow control (spec.md, "Flow Control").
 *
 * <p>Receiving: the peer may send at most the receive window (256 KB at the start) ahead of what this side has read;
 * as data is read, the window is reopened with a window update, batched until at least half of it is free (as
 * hashicorp/yamux does, so that bulk transfers are not a window update per read). Sending: writes block while the
 * peer's window for this stream is used up.
 *
 * <p>{@link #close()} is a half-close (FIN): this side sends no more, and may still read until the peer's FIN.
 * {@link #reset()} abandons the stream both ways (RST). The stream leaves its session once both sides sent FIN, or
 * on a reset either way.
 */
public final class YamuxStream implements AutoCloseable {
  private final YamuxSession session;
  private final int id;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition readable = lock.newCondition();
  private final Condition writable = lock.newCondition();
  private final ArrayDeque<byte[]> received = new ArrayDeque<>();
  private int headOffset;
  private int buffered;
  private int receiveWindow = YamuxConfig.INITIAL_STREAM_WINDOW;
  private int sendWindow = YamuxConfig.INITIAL_STREAM_WINDOW;
  private boolean localClosed;
  private boolean remoteClosed;
  private boolean reset;
  private IOException sessionFailure;
  private final InputStream input = new Input();
  private final OutputStream output = new Output();

  YamuxStream(YamuxSession session, int id) {
    this.session = session;
    this.id = id;
  }

  /** The stream id: odd when the client opened it, even when the server did. */
  public int id() {
    return id;
  }

  public InputStream input() {
    return input;
  }

  public OutputStream output() {
    return output;
  }

  /**
   * Reads what has arrived, blocking until something has.
   *
   * @return the number of bytes read, or -1 once the peer half-closed and everything before its FIN was read
   * @throws IOException when the stream was reset or its session ended
   */
  public int read(byte[] buffer, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, buffer.length);
    if (length == 0) {
      return 0;
    }
    int n = 0;
    int update = 0;
    lock.lock();
    try {
      while (buffered == 0) {
        if (reset) {
          throw new IOException("yamux stream " + Integer.toUnsignedString(id) + " was reset");
        }
        if (remoteClosed) {
          return -1;
        }
        if (sessionFailure != null) {
          throw new IOException("yamux stream " + Integer.toUnsignedString(id) + ": " + sessionFailure.getMessage(),
              sessionFailure);
        }
        awaitUninterruptibly(readable);
      }
      while (n < length && buffered > 0) {
        byte[] head = received.peekFirst();
        int take = Math.min(length - n, head.length - headOffset);
        System.arraycopy(head, headOffset, buffer, offset + n, take);
        n += take;
        headOffset += take;
        buffered -= take;
        if (headOffset == head.length) {
          received.removeFirst();
          headOffset = 0;
        }
      }
      // Reopen the window by what was consumed, once at least half of it is worth reopening.
      int delta = YamuxConfig.INITIAL_STREAM_WINDOW - buffered - receiveWindow;
      if (delta >= YamuxConfig.INITIAL_STREAM_WINDOW / 2 && !reset) {
        receiveWindow += delta;
        update = delta;
      }
    } finally {
      lock.unlock();
    }
    if (update > 0) {
      session.sendControl(FrameHeader.TYPE_WINDOW_UPDATE, 0, id, update);
    }
    return n;
  }

  /**
   * Writes everything, in frames no larger than the peer's window allows, blocking while the window is used up.
   *
   * @throws IOException when this side already half-closed, the stream was reset or its session ended
   */
  public void write(byte[] buffer, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, buffer.length);
    int written = 0;
    while (written < length) {
      int chunk;
      lock.lock();
      try {
        while (true) {
          checkWritable();
          if (sendWindow > 0) {
            break;
          }
          awaitUninterruptibly(writable);
        }
        chunk = Math.min(sendWindow, length - written);
        sendWindow -= chunk;
      } finally {
        lock.unlock();
      }
      session.sendData(id, buffer, offset + written, chunk);
      written += chunk;
    }
  }

  /** Half-closes: sends FIN. Reading goes on until the peer's FIN. Does nothing if already closed or reset. */
  @Override
  public void close() throws IOException {
    boolean finished;
    lock.lock();
    try {
      if (localClosed || reset || sessionFailure != null) {
        return;
      }
      localClosed = true;
      finished = remoteClosed;
      writable.signalAll();
    } finally {
      lock.unlock();
    }
    if (finished) {
      session.forget(this);
    }
    session.sendControl(FrameHeader.TYPE_WINDOW_UPDATE, FrameHeader.FLAG_FIN, id, 0);
  }

  /** Abandons the stream both ways and tells the peer (RST). Does nothing once the stream is gone. */
  public void reset() throws IOException {
    lock.lock();
    try {
      if (reset || sessionFailure != null || (localClosed && remoteClosed)) {
        return;
      }
      markReset();
    } finally {
      lock.unlock();
    }
    session.forget(this);
    session.sendControl(FrameHeader.TYPE_WINDOW_UPDATE, FrameHeader.FLAG_RST, id, 0);
  }

  /** Bytes received and not yet read (for tests and diagnostics). */
  public int buffered() {
    lock.lock();
    try {
      return buffered;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "YamuxStream[" + Integer.toUnsignedString(id) + "]";
  }

  // --- called by the session's receive thread ---

  /** A data frame's payload (possibly empty) and its flags. */
  void onData(int flags, byte[] payload) throws YamuxProtocolException {
    lock.lock();
    try {
      if (payload.length > 0) {
        if (payload.length > receiveWindow) {
          throw new YamuxProtocolException(
              "the peer sent " + payload.length + " bytes on stream " + Integer.toUnsignedString(id)
                  + " with only " + receiveWindow + " left in its receive window");
        }
        if (!reset && !remoteClosed) {
          receiveWindow -= payload.length;
          received.addLast(payload);
          buffered += payload.length;
          readable.signalAll();
        }
      }
    } finally {
      lock.unlock();
    }
    onFlags(flags);
  }

  /** A window update's delta and its flags. */
  void onWindowUpdate(int flags, long delta) {
    lock.lock();
    try {
      if (delta > 0) {
        sendWindow = (int) Math.min(Integer.MAX_VALUE, sendWindow + delta);
        writable.signalAll();
      }
    } finally {
      lock.unlock();
    }
    onFlags(flags);
  }

  /** The session ended: every waiter fails with the reason. */
  void onSessionClosed(IOException cause) {
    lock.lock();
    try {
      if (sessionFailure == null) {
        sessionFailure = cause;
      }
      readable.signalAll();
      writable.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void onFlags(int flags) {
    lock.lock();
    try {
      // ACK needs no action: a stream may be written to before the peer accepted it.
      boolean gone = false;
      if ((flags & FrameHeader.FLAG_FIN) != 0 && !remoteClosed) {
        remoteClosed = true;
        gone = localClosed;
        readable.signalAll();
      }
      if ((flags & FrameHeader.FLAG_RST) != 0 && !reset) {
        markReset();
        gone = true;
      }
      if (gone) {
        // Before the woken readers run: once a read sees the end, the session no longer counts the stream.
        session.forget(this);
      }
    } finally {
      lock.unlock();
    }
  }

  private void markReset() {
    reset = true;
    received.clear();
    buffered = 0;
    readable.signalAll();
    writable.signalAll();
  }

  private void checkWritable() throws IOException {
    if (reset) {
      throw new IOException("yamux stream " + Integer.toUnsignedString(id) + " was reset");
    }
    if (localClosed) {
      throw new IOException("yamux stream " + Integer.toUnsignedString(id) + " is closed for writing");
    }
    if (sessionFailure != null) {
      throw new IOException("yamux stream " + Integer.toUnsignedString(id) + ": " + sessionFailure.getMessage(),
          sessionFailure);
    }
  }

  private static void awaitUninterruptibly(Condition condition) throws InterruptedIOException {
    try {
      condition.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting on a yamux stream");
    }
  }

  private final class Input extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = YamuxStream.this.read(one, 0, 1);
      return n < 0 ? -1 : Byte.toUnsignedInt(one[0]);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return YamuxStream.this.read(b, off, len);
    }

    @Override
    public int available() {
      return buffered();
    }

    /** Closing the input alone does nothing: yamux has no way to refuse further data but a reset. */
    @Override
    public void close() {}
  }

  private final class Output extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      YamuxStream.this.write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      YamuxStream.this.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      YamuxStream.this.close();
    }
  }
}
