package dev.bridge.script;

/**
 * The level of a line of console output, from the {@code console} method that wrote it:
 * {@code console.debug} is {@link #DEBUG}, {@code console.log/info} {@link #INFO},
 * {@code console.warn} {@link #WARN} and {@code console.error} {@link #ERROR}.
 */
public enum ConsoleLevel {
  DEBUG,
  INFO,
  WARN,
  ERROR;

  /** Whether a terminal would show the line on standard error: {@code console.warn/error} write there, as in Node. */
  public boolean onStderr() {
    return compareTo(WARN) >= 0;
  }
}
