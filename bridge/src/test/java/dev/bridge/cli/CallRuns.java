package dev.bridge.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import picocli.CommandLine;

/**
 * Runs {@code bridgejs call} in a test, its standard streams captured. As an extension
 * ({@code @ExtendWith(CallRuns.class)}) it puts back the test JVM's root log handlers after each test: the
 * command installs its own, as the process would.
 */
final class CallRuns implements BeforeEachCallback, AfterEachCallback {
  /** What one run of the command did. */
  record Outcome(int exitCode, String stdout, String stderr) {
    String lastErrorLine() {
      List<String> lines = stderr.lines().toList();
      return lines.isEmpty() ? "" : lines.getLast();
    }
  }

  private final Logger root = LogManager.getLogManager().getLogger("");
  private final Logger bridgeLogger = Logger.getLogger("dev.bridge");
  private Handler[] rootHandlers;
  private Level rootLevel;
  private Level bridgeLevel;

  static Outcome call(String stdin, String... args) {
    return call(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), args);
  }

  /** With standard input from {@code stdin} and standard output into {@code out}, which a test may watch. */
  static Outcome call(InputStream stdin, ByteArrayOutputStream out, String... args) {
    var err = new ByteArrayOutputStream();
    var terminal = new CallCommand.Terminal(stdin, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), false);
    int exitCode = new CommandLine(new CallCommand(terminal)).execute(args);
    return new Outcome(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    rootHandlers = root.getHandlers();
    rootLevel = root.getLevel();
    bridgeLevel = bridgeLogger.getLevel();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    for (Handler handler : rootHandlers) {
      root.addHandler(handler);
    }
    root.setLevel(rootLevel);
    bridgeLogger.setLevel(bridgeLevel);
  }
}
