package dev.bridge.script;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import org.graalvm.polyglot.Value;

/**
 * Bytes between Java and JavaScript without per-byte interop calls. Into JS: the bytes are handed over
 * as a read-only host {@link java.nio.ByteBuffer} and copied into a fresh {@code Uint8Array} in one
 * {@code set}. Out of JS: the backing {@code ArrayBuffer} is read with one bulk
 * {@link Value#readBuffer}. Strings count as their UTF-8 encoding.
 */
final class JsBytes {
  private JsBytes() {}

  static Value toJs(JsHelpers helpers, ByteString bytes) {
    return helpers.bytesFromHost(bytes.asReadOnlyByteBuffer());
  }

  static Value toJs(JsHelpers helpers, byte[] bytes) {
    return helpers.bytesFromHost(java.nio.ByteBuffer.wrap(bytes).asReadOnlyBuffer());
  }

  /**
   * The bytes of a string (UTF-8), ArrayBuffer, SharedArrayBuffer, typed array or DataView; null when
   * the value is none of these.
   */
  static byte[] fromJs(JsHelpers helpers, Value value) {
    if (value.isString()) {
      return value.asString().getBytes(StandardCharsets.UTF_8);
    }
    if (value.hasBufferElements()) {
      return read(value, 0, value.getBufferSize());
    }
    if (!value.hasMembers()) {
      return null;
    }
    Value parts = helpers.viewParts(value);
    if (parts.isNull()) {
      return null;
    }
    Value buffer = parts.getArrayElement(0);
    if (!buffer.hasBufferElements()) {
      return null;
    }
    return read(buffer, parts.getArrayElement(1).asLong(), parts.getArrayElement(2).asLong());
  }

  private static byte[] read(Value buffer, long offset, long length) {
    if (length > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("byte array too large: " + length);
    }
    byte[] bytes = new byte[(int) length];
    if (length > 0) {
      buffer.readBuffer(offset, bytes, 0, (int) length);
    }
    return bytes;
  }
}
