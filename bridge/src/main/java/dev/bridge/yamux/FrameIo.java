package dev.bridge.yamux;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads and writes whole frames on the session's connection. Reading happens on the session's one receive thread;
 * writes come from any thread and are serialized by a lock so that a header and its payload are never split by
 * another frame. A blocking {@link java.nio.channels.SocketChannel} allows one reader and one writer at once, which
 * is exactly this use (its stream adapters would not: they lock reads and writes together).
 */
final class FrameIo {
  private final ByteChannel connection;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final ByteBuffer headerIn = ByteBuffer.allocate(FrameHeader.SIZE);
  private final ByteBuffer headerOut = ByteBuffer.allocate(FrameHeader.SIZE);

  FrameIo(ByteChannel connection) {
    this.connection = connection;
  }

  /** Sends one frame; the payload's length must be the header's for data frames and empty for the others. */
  void write(FrameHeader header, byte[] payload, int offset, int length) throws IOException {
    writeLock.lock();
    try {
      headerOut.clear();
      header.encode(headerOut);
      headerOut.flip();
      writeFully(headerOut);
      if (length > 0) {
        writeFully(ByteBuffer.wrap(payload, offset, length));
      }
    } finally {
      writeLock.unlock();
    }
  }

  void write(FrameHeader header) throws IOException {
    write(header, null, 0, 0);
  }

  /** The next header, or null at a clean end of the connection (between frames). Receive thread only. */
  FrameHeader readHeader() throws IOException {
    headerIn.clear();
    if (!readFully(headerIn, true)) {
      return null;
    }
    headerIn.flip();
    return FrameHeader.decode(headerIn);
  }

  /** Exactly {@code length} payload bytes. Receive thread only. */
  byte[] readPayload(int length) throws IOException {
    byte[] payload = new byte[length];
    readFully(ByteBuffer.wrap(payload), false);
    return payload;
  }

  /** Reads and drops a payload nobody wants (a stream already gone), keeping the framing in step. */
  void skip(long length) throws IOException {
    ByteBuffer scratch = ByteBuffer.allocate((int) Math.min(length, 16 * 1024));
    long left = length;
    while (left > 0) {
      scratch.clear().limit((int) Math.min(left, scratch.capacity()));
      readFully(scratch, false);
      left -= scratch.limit();
    }
  }

  void close() throws IOException {
    connection.close();
  }

  private boolean readFully(ByteBuffer buffer, boolean endAllowedAtStart) throws IOException {
    boolean start = true;
    while (buffer.hasRemaining()) {
      int n = connection.read(buffer);
      if (n < 0) {
        if (start && endAllowedAtStart) {
          return false;
        }
        throw new EOFException("the connection ended inside a yamux frame");
      }
      start = start && n == 0;
    }
    return true;
  }

  private void writeFully(ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      connection.write(buffer);
    }
  }
}
