package dev.bridge.cli;

import dev.bridge.plugin.HclogHandler;
import dev.bridge.plugin.HclogLevel;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Objects;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * The bridge's log for a person at a terminal, for commands run by hand ({@code bridgejs call}):
 * {@code bridgejs warn: message}, one line per record (a stack trace only at debug), on stderr. Serving
 * writes hclog JSON lines instead, for the host to parse; nobody parses these.
 */
final class TerminalLog extends Handler {
  // JUL holds loggers weakly; a logger whose level we set must stay referenced or the setting is lost.

  private final PrintStream err;
  private final boolean stacks;
  private final SimpleFormatter formatter = new SimpleFormatter();

  private TerminalLog(PrintStream err, HclogLevel level) {
    this.err = Objects.requireNonNull(err, "err");
    this.stacks = level.compareTo(HclogLevel.DEBUG) <= 0;
    setLevel(level.julThreshold());
  }

  /**
   * Makes this the root logger's only handler, with the levels {@link HclogHandler#install} sets: below
   * info, only the bridge's own loggers, except at trace.
   */
  static TerminalLog install(PrintStream err, HclogLevel level) {
    TerminalLog handler = new TerminalLog(err, level);
    HclogHandler.makeRootHandler(handler, level);
    return handler;
  }

  @Override
  public void publish(LogRecord record) {
    if (record == null || !isLoggable(record)) {
      return;
    }
    StringBuilder line = new StringBuilder("bridgejs ").append(HclogLevel.of(record.getLevel()).label()).append(": ")
        .append(record.getMessage() == null ? "" : formatter.formatMessage(record));
    Throwable thrown = record.getThrown();
    if (thrown != null && stacks) {
      StringWriter stack = new StringWriter();
      thrown.printStackTrace(new PrintWriter(stack));
      line.append(System.lineSeparator()).append(stack.toString().stripTrailing());
    } else if (thrown != null && !line.toString().contains(String.valueOf(thrown.getMessage()))) {
      line.append(" (").append(thrown).append(')');
    }
    err.print(line.append(System.lineSeparator()));
    err.flush();
  }

  @Override
  public void flush() {
    err.flush();
  }

  /** Leaves the stream open: it is the process's stderr. */
  @Override
  public void close() {
    flush();
  }
}
