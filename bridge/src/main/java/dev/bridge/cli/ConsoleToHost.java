package dev.bridge.cli;

import dev.bridge.plugin.StdioPublisher;
import dev.bridge.plugin.StdioStream;
import dev.bridge.script.ConsoleSink;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a script prints reaches the host twice over: on go-plugin's stdio stream, for hosts that
 * subscribe to it, and as log lines on stderr, which every host (v1.0.1 too) turns into its own log.
 */
final class ConsoleToHost implements ConsoleSink {
  private static final Logger LOG = Logger.getLogger("dev.bridge.script.console");

  private final StdioPublisher stdio;
  private final String script;

  ConsoleToHost(StdioPublisher stdio, String script) {
    this.stdio = stdio;
    this.script = script;
  }

  @Override
  public void stdout(String line) {
    stdio.publish(StdioStream.STDOUT, (line + "\n").getBytes(StandardCharsets.UTF_8));
    LOG.log(Level.INFO, line, Map.of("script", script, "stream", "stdout"));
  }

  @Override
  public void stderr(String line) {
    stdio.publish(StdioStream.STDERR, (line + "\n").getBytes(StandardCharsets.UTF_8));
    LOG.log(Level.SEVERE, line, Map.of("script", script, "stream", "stderr"));
  }
}
