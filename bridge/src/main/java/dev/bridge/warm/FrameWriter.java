package dev.bridge.warm;

import java.io.IOException;
import java.io.OutputStream;

/** Writes whole frames to one connection from any thread, one frame at a time. */
final class FrameWriter {
  private final OutputStream out;

  FrameWriter(OutputStream out) {
    this.out = out;
  }

  synchronized void write(Frame frame) throws IOException {
    frame.writeTo(out);
  }
}
