package dev.bridge.cli;

import dev.bridge.plugin.HclogLevel;
import dev.bridge.script.ConsoleLevel;
import dev.bridge.script.ConsoleSink;
import java.io.PrintStream;
import java.util.Locale;

/**
 * What a script prints when it runs without a host ({@code bridgejs call}): each line on stderr, never
 * mixed with the response on stdout, as {@code kv.js info: text}. Debug lines show at the log level
 * debug, as when serving.
 */
final class ConsoleToStderr implements ConsoleSink {
  private final PrintStream err;
  private final String script;
  private final HclogLevel threshold;

  ConsoleToStderr(PrintStream err, String script, HclogLevel threshold) {
    this.err = err;
    this.script = script;
    this.threshold = threshold;
  }

  @Override
  public void line(ConsoleLevel level, String line) {
    if (ConsoleToHost.julLevel(level).intValue() >= threshold.julThreshold().intValue()) {
      // One print per line: PrintStream locks per call, so lines from log records never cut into it.
      err.print(script + " " + level.name().toLowerCase(Locale.ROOT) + ": " + line + System.lineSeparator());
      err.flush();
    }
  }
}
