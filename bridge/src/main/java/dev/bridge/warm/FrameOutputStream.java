package dev.bridge.warm;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/** Bytes written to it go to the client as frames of one type (its stdout or stderr), one frame per write. */
final class FrameOutputStream extends OutputStream {
  private final Frame.Type type;
  private final FrameWriter writer;

  FrameOutputStream(Frame.Type type, FrameWriter writer) {
    this.type = type;
    this.writer = writer;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    if (length > 0) {
      writer.write(new Frame(type, Arrays.copyOfRange(bytes, offset, offset + length)));
    }
  }
}
