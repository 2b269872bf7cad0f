package dev.bridge.cli;

import dev.bridge.plugin.HclogLevel;
import dev.bridge.plugin.StdioStream;
import dev.bridge.script.ConsoleLevel;
import dev.bridge.script.ConsoleSink;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a script prints reaches the host twice over: on go-plugin's stdio stream, for hosts that
 * subscribe to it (stdout for {@code console.log/info/debug}, stderr for {@code console.warn/error}),
 * and as log lines on stderr at the console method's level, which every host (v1.0.1 too) turns into
 * its own log. Debug lines reach the log only when the bridge logs at debug.
 */
final class ConsoleToHost implements ConsoleSink {
  static final Logger LOG = Logger.getLogger("dev.bridge.script.console");

  private final BiConsumer<StdioStream, byte[]> stdio;
  private final String script;

  /** @param stdio publishes on go-plugin's stdio stream, without ever blocking ({@code StdioPublisher::publish}) */
  ConsoleToHost(BiConsumer<StdioStream, byte[]> stdio, String script) {
    this.stdio = stdio;
    this.script = script;
  }

  @Override
  public void line(ConsoleLevel level, String line) {
    StdioStream stream = level.onStderr() ? StdioStream.STDERR : StdioStream.STDOUT;
    stdio.accept(stream, (line + "\n").getBytes(StandardCharsets.UTF_8));
    LOG.log(julLevel(level), line, Map.of("script", script, "stream", stream.name().toLowerCase(Locale.ROOT)));
  }

  /** The JUL level that {@code HclogHandler} writes as the hclog level of the same name. */
  static Level julLevel(ConsoleLevel level) {
    HclogLevel hclog = switch (level) {
      case DEBUG -> HclogLevel.DEBUG;
      case INFO -> HclogLevel.INFO;
      case WARN -> HclogLevel.WARN;
      case ERROR -> HclogLevel.ERROR;
    };
    return hclog.julThreshold();
  }
}
