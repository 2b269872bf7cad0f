package dev.bridge.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Writes to an inherited file descriptor by its number, with {@code write(2)} through the FFM API. Java
 * has no public way to wrap a descriptor number other than 0, 1 and 2, and reopening it by path
 * ({@code /dev/fd/N}) fails for a pipe owned by another user, as it is when a host runs the plugin as
 * another user: the descriptor itself is the only thing the process may use.
 */
final class DescriptorOutputStream extends OutputStream {
  private static final int EINTR = 4;
  /** Bytes handed to one write(2): larger writes go in pieces of this size. */
  private static final int CHUNK = 8192;

  private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
  private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO_VALUE =
      CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

  private final int descriptor;
  private final MethodHandle write;
  private final MemorySegment buffer;
  private final MemorySegment callState;

  private DescriptorOutputStream(int descriptor, MethodHandle write, Arena arena) {
    this.descriptor = descriptor;
    this.write = write;
    this.buffer = arena.allocate(CHUNK);
    this.callState = arena.allocate(CALL_STATE);
  }

  /** A stream writing to {@code descriptor}, checked to be open and writable by an empty write. */
  static DescriptorOutputStream open(int descriptor) throws IOException {
    Linker linker = Linker.nativeLinker();
    MethodHandle write = linker.downcallHandle(linker.defaultLookup().find("write").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
        ERRNO);
    var stream = new DescriptorOutputStream(descriptor, write, Arena.ofAuto());
    stream.writeFully(0, 0);
    return stream;
  }

  /** The C library's text for {@code errno}, with its number. */
  private static String describe(int errno) {
    try {
      Linker linker = Linker.nativeLinker();
      MethodHandle strerror = linker.downcallHandle(linker.defaultLookup().find("strerror").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
      MemorySegment text = (MemorySegment) strerror.invokeExact(errno);
      return text.reinterpret(1024).getString(0) + " (errno " + errno + ")";
    } catch (Throwable e) {
      return "errno " + errno;
    }
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
    java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
    while (length > 0) {
      int piece = Math.min(length, CHUNK);
      MemorySegment.copy(bytes, offset, buffer, ValueLayout.JAVA_BYTE, 0, piece);
      writeFully(0, piece);
      offset += piece;
      length -= piece;
    }
  }

  /** Writes {@code length} bytes of the buffer from {@code start}, retrying short and interrupted writes. */
  private void writeFully(long start, long length) throws IOException {
    do {
      long written;
      try {
        written = (long) write.invokeExact(callState, descriptor, buffer.asSlice(start), length);
      } catch (Throwable e) {
        throw new IOException("write(2) to file descriptor " + descriptor + " could not be called", e);
      }
      if (written < 0) {
        int errno = (int) ERRNO_VALUE.get(callState, 0L);
        if (errno == EINTR) {
          continue;
        }
        throw new IOException("file descriptor " + descriptor + " cannot be written: " + describe(errno));
      }
      start += written;
      length -= written;
    } while (length > 0);
  }
}
