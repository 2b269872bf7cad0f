package dev.bridge.script;

/**
 * Where a script's console output goes, one line at a time (without the line terminator).
 * {@code console.log/info/debug} (and anything else the context writes to its standard output)
 * arrive on {@link #stdout}; {@code console.warn/error} on {@link #stderr}. Never the process stdout,
 * which belongs to the go-plugin handshake.
 *
 * <p>Called on the script's single JavaScript thread, so implementations must be thread-safe and
 * should not block for long. Over-long lines are split at {@link ConsoleLineWriter#MAX_LINE_BYTES}.
 */
public interface ConsoleSink {
  void stdout(String line);

  void stderr(String line);

  /** A sink that drops everything. */
  static ConsoleSink discard() {
    return new ConsoleSink() {
      @Override
      public void stdout(String line) {}

      @Override
      public void stderr(String line) {}
    };
  }
}
