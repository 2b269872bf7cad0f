package dev.bridge.script;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The output stream given to the context as its stdout or stderr: splits the bytes into UTF-8 lines
 * and hands each complete line to a {@link ConsoleSink} channel. A trailing partial line is handed on
 * at {@link #close()} only ({@link #flush()} does nothing, so a flush cannot break a line in two).
 */
final class ConsoleLineWriter extends OutputStream {
  /** Longer lines are handed on in pieces of this many bytes, so a runaway line cannot grow without bound. */
  static final int MAX_LINE_BYTES = 64 * 1024;

  private final Consumer<String> channel;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

  ConsoleLineWriter(Consumer<String> channel) {
    this.channel = channel;
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      emit();
      return;
    }
    pending.write(b);
    if (pending.size() >= MAX_LINE_BYTES) {
      emit();
    }
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) {
    int start = offset;
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      if (bytes[i] == '\n') {
        pending.write(bytes, start, i - start);
        emit();
        start = i + 1;
      } else if (pending.size() + (i - start) >= MAX_LINE_BYTES) {
        pending.write(bytes, start, i - start);
        emit();
        start = i;
      }
    }
    pending.write(bytes, start, end - start);
  }

  @Override
  public void flush() {}

  /** Hands on a partial line, if any. */
  @Override
  public synchronized void close() {
    if (pending.size() > 0) {
      emit();
    }
  }

  private void emit() {
    byte[] line = pending.toByteArray();
    pending.reset();
    int length = line.length;
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    channel.accept(new String(line, 0, length, StandardCharsets.UTF_8));
  }
}
