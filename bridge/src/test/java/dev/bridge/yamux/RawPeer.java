package dev.bridge.yamux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** The far end of a session written byte by byte, to check a session against the specification's frames. */
final class RawPeer {
  private final SocketChannel channel;

  RawPeer(SocketChannel channel) {
    this.channel = channel;
  }

  void send(int type, int flags, int streamId, int length) throws IOException {
    sendBytes(new FrameHeader(type, flags, streamId, length).toBytes());
  }

  void sendData(int flags, int streamId, byte[] payload) throws IOException {
    send(FrameHeader.TYPE_DATA, flags, streamId, payload.length);
    sendBytes(payload);
  }

  void sendBytes(byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  /** The next 12 header bytes, exactly as sent. */
  byte[] nextHeaderBytes() throws IOException {
    return readBytes(FrameHeader.SIZE);
  }

  FrameHeader next() throws IOException {
    return FrameHeader.decode(ByteBuffer.wrap(nextHeaderBytes()));
  }

  /** The next frame's header, which must be the one given. */
  void expect(int type, int flags, int streamId, int length) throws IOException {
    assertEquals(new FrameHeader(type, flags, streamId, length), next());
  }

  byte[] readBytes(int n) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(n);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new EOFException("the session closed the connection");
      }
    }
    return buffer.array();
  }

  /** Whether the session closed the connection (reads to the end). */
  boolean atEnd() throws IOException {
    return channel.read(ByteBuffer.allocate(1)) < 0;
  }
}
