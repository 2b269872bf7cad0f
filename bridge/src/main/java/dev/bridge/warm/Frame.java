package dev.bridge.warm;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One message between a warm client and the runtime: a type byte, a 4-byte big-endian length, then that many bytes
 * of payload. The C client (src/main/c/bridgejs-warm.c) speaks the same; {@link Type} lists what each side sends.
 *
 * @param type what the payload is
 * @param payload its bytes (not copied)
 */
public record Frame(Type type, byte[] payload) {
  /** Larger frames are refused: a hello with a whole environment stays far below it. */
  public static final int MAX_PAYLOAD = 16 * 1024 * 1024;

  /** The frame types, by the byte that names them on the wire. */
  public enum Type {
    /** Client to runtime, first: serve a plugin ({@link LaunchRequest}). */
    HELLO('H'),
    /** Client to runtime, first: report the runtime's state on {@link #STDOUT}, then {@link #EXIT}. */
    STATUS('Q'),
    /** Client to runtime, first: stop the runtime (its instances end as on SIGTERM). */
    STOP('K'),
    /** Client to runtime: the client got a signal, named in the payload ("TERM"). */
    SIGNAL('S'),
    /** Runtime to client: bytes for the client's stdout (the handshake line). */
    STDOUT('O'),
    /** Runtime to client: bytes for the client's stderr (log lines). */
    STDERR('E'),
    /** Runtime to client, last: the exit code, a 4-byte big-endian int. */
    EXIT('X');

    private final byte code;

    Type(char code) {
      this.code = (byte) code;
    }

    byte code() {
      return code;
    }

    static Type of(byte code) throws IOException {
      for (Type type : values()) {
        if (type.code == code) {
          return type;
        }
      }
      throw new IOException("unknown frame type 0x" + Integer.toHexString(code & 0xff));
    }
  }

  /** A frame of UTF-8 text. */
  public static Frame text(Type type, String text) {
    return new Frame(type, text.getBytes(StandardCharsets.UTF_8));
  }

  /** The exit frame for {@code code}. */
  public static Frame exit(int code) {
    return new Frame(Type.EXIT, ByteBuffer.allocate(4).putInt(code).array());
  }

  /** The payload as text. */
  public String text() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  /** The exit code of an {@link Type#EXIT} frame. */
  public int exitCode() throws IOException {
    if (type != Type.EXIT || payload.length != 4) {
      throw new IOException("not an exit frame: " + type + " of " + payload.length + " bytes");
    }
    return ByteBuffer.wrap(payload).getInt();
  }

  /** Writes the frame in one write and flushes. */
  public void writeTo(OutputStream out) throws IOException {
    out.write(encode());
    out.flush();
  }

  byte[] encode() {
    byte[] bytes = new byte[5 + payload.length];
    bytes[0] = type.code();
    ByteBuffer.wrap(bytes, 1, 4).putInt(payload.length);
    System.arraycopy(payload, 0, bytes, 5, payload.length);
    return bytes;
  }

  /**
   * Reads the next frame.
   *
   * @return null at a clean end of stream (before a frame's first byte)
   * @throws IOException on a read error, an unknown type, a length out of range, or a stream cut mid-frame
   */
  public static Frame readFrom(InputStream in) throws IOException {
    int first = in.read();
    if (first < 0) {
      return null;
    }
    Type type = Type.of((byte) first);
    DataInputStream data = new DataInputStream(in);
    int length;
    byte[] payload;
    try {
      length = data.readInt();
      if (length < 0 || length > MAX_PAYLOAD) {
        throw new IOException(type + " frame of " + Integer.toUnsignedString(length) + " bytes; at most "
            + MAX_PAYLOAD + " are accepted");
      }
      payload = new byte[length];
      data.readFully(payload);
    } catch (EOFException e) {
      throw new IOException("the stream ended inside a " + type + " frame", e);
    }
    return new Frame(type, payload);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Frame frame && frame.type == type && Arrays.equals(frame.payload, payload);
  }

  @Override
  public int hashCode() {
    return type.hashCode() * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return type + "[" + payload.length + " bytes]";
  }
}
