package dev.bridge.script;

/**
 * Where a script's console output goes, one line at a time (without the line terminator), each line
 * with the level of the {@code console} method that wrote it. Whatever else the context writes to its
 * standard output or error (nothing does today) arrives as {@link ConsoleLevel#INFO} and
 * {@link ConsoleLevel#ERROR} lines. Never the process stdout, which belongs to the go-plugin handshake.
 *
 * <p>Called on the script's single JavaScript thread, so implementations must be thread-safe and
 * must not block: a sink nobody reads must not stall the script. Over-long lines are split at
 * {@link ConsoleLineWriter#MAX_LINE_BYTES}.
 */
@FunctionalInterface
public interface ConsoleSink {
  void line(ConsoleLevel level, String line);

  /** A sink that drops everything. */
  static ConsoleSink discard() {
    return (level, line) -> {};
  }
}
