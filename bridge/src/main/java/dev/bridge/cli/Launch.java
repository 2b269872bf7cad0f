package dev.bridge.cli;

import dev.bridge.plugin.HclogHandler;
import dev.bridge.plugin.HclogLevel;
import dev.bridge.script.JsEngine;
import dev.bridge.warm.InstanceLogs;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What one serving of a plugin reads and writes instead of the process's own: a plugin started by its host owns the
 * process (its environment, working directory, stdout, stderr, signals, heap); one served by the warm runtime gets its
 * client's, and shares the runtime's engine.
 *
 * @param env the environment: PLUGIN_* variables, the cookie, {@code process.env}'s granted variables
 * @param cwd the working directory relative paths are resolved against
 * @param handshakeOut where the handshake line goes, and nothing else
 * @param err where log lines and messages for a person go
 * @param sharedEngine the runtime's engine, which this serving must not close; empty: make one, and close it
 * @param stopRequested completes when the plugin must stop as on SIGTERM (the warm client's signal, or its end);
 *     a plugin owning its process stops on the signal itself
 */
record Launch(Map<String, String> env, Path cwd, PrintStream handshakeOut, PrintStream err,
    Optional<JsEngine> sharedEngine, CompletableFuture<Void> stopRequested) {

  /** The process's own: what a plugin started directly by its host uses. */
  static Launch ofProcess() {
    return new Launch(System.getenv(), Path.of("").toAbsolutePath(), System.out, System.err, Optional.empty(),
        new CompletableFuture<>());
  }

  /** Whether this serving is the whole process (not an instance in the warm runtime). */
  boolean ownsProcess() {
    return sharedEngine.isEmpty();
  }

  /**
   * Logs the serving's records as hclog lines on {@link #err}: for the process, every record; in the runtime, the
   * records of this thread and the threads it starts ({@link InstanceLogs}).
   */
  void installLog(HclogLevel level) {
    if (ownsProcess()) {
      HclogHandler.install(err, level);
    } else {
      InstanceLogs.route(new HclogHandler(err, level));
    }
  }
}
