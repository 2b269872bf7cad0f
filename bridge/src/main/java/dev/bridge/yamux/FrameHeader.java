package dev.bridge.yamux;

import java.nio.ByteBuffer;

/**
 * The 12-byte header every yamux frame starts with (hashicorp/yamux spec.md, "Framing"): version, type, flags,
 * stream id and length, big-endian. What {@code length} means depends on the type: the payload size of a data frame,
 * the window delta of a window update, the opaque value of a ping, the error code of a go-away.
 *
 * @param type one of the {@code TYPE_} constants
 * @param flags a combination of the {@code FLAG_} constants
 * @param streamId the stream, 0 for session frames (ping, go-away); unsigned on the wire
 * @param length the type's 32-bit value; unsigned on the wire
 */
public record FrameHeader(int type, int flags, int streamId, int length) {
  public static final int SIZE = 12;
  /** The only version of the protocol there is. */
  public static final int VERSION = 0;

  public static final int TYPE_DATA = 0;
  public static final int TYPE_WINDOW_UPDATE = 1;
  public static final int TYPE_PING = 2;
  public static final int TYPE_GO_AWAY = 3;

  /** Opens a stream, or asks for a ping's answer. */
  public static final int FLAG_SYN = 1;
  /** Accepts a stream, or answers a ping. */
  public static final int FLAG_ACK = 2;
  /** The sender has no more data for the stream (half-close). */
  public static final int FLAG_FIN = 4;
  /** The stream is abandoned at once. */
  public static final int FLAG_RST = 8;

  public static final int GO_AWAY_NORMAL = 0;
  public static final int GO_AWAY_PROTOCOL_ERROR = 1;
  public static final int GO_AWAY_INTERNAL_ERROR = 2;

  public FrameHeader {
    if (type < TYPE_DATA || type > TYPE_GO_AWAY) {
      throw new IllegalArgumentException("no yamux frame type " + type);
    }
    if ((flags & ~0xFFFF) != 0) {
      throw new IllegalArgumentException("yamux flags are 16 bits, got " + flags);
    }
  }

  /** Writes the 12 bytes at the buffer's position. */
  public void encode(ByteBuffer out) {
    out.put((byte) VERSION).put((byte) type).putShort((short) flags).putInt(streamId).putInt(length);
  }

  /** The 12 bytes as an array. */
  public byte[] toBytes() {
    ByteBuffer out = ByteBuffer.allocate(SIZE);
    encode(out);
    return out.array();
  }

  /**
   * Reads 12 bytes from the buffer's position.
   *
   * @throws YamuxProtocolException for a version other than 0 or an unknown type: the peer speaks something else,
   *     and nothing after this header can be trusted
   */
  public static FrameHeader decode(ByteBuffer in) throws YamuxProtocolException {
    int version = Byte.toUnsignedInt(in.get());
    int type = Byte.toUnsignedInt(in.get());
    int flags = Short.toUnsignedInt(in.getShort());
    int streamId = in.getInt();
    int length = in.getInt();
    if (version != VERSION) {
      throw new YamuxProtocolException("unsupported yamux version " + version + " (only 0 exists)");
    }
    if (type > TYPE_GO_AWAY) {
      throw new YamuxProtocolException("unknown yamux frame type " + type);
    }
    return new FrameHeader(type, flags, streamId, length);
  }

  public boolean has(int flag) {
    return (flags & flag) != 0;
  }

  /** The length field as the unsigned number it is. */
  public long unsignedLength() {
    return Integer.toUnsignedLong(length);
  }

  @Override
  public String toString() {
    return "FrameHeader[type=" + type + ", flags=" + flags + ", stream=" + Integer.toUnsignedString(streamId)
        + ", length=" + Integer.toUnsignedString(length) + "]";
  }
}
