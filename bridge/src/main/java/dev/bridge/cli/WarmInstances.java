package dev.bridge.cli;

import dev.bridge.script.JsEngine;
import dev.bridge.warm.InstanceLaunch;
import dev.bridge.warm.InstanceRunner;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;

/**
 * Serves the warm runtime's plugin instances as {@code bridgejs SCRIPT} serves a plugin, with the client's
 * command line, environment, working directory and output ({@link Launch}), all on one engine.
 */
final class WarmInstances implements InstanceRunner {
  private final CompletableFuture<JsEngine> engine;

  /** @param engine the shared engine, possibly still being created */
  WarmInstances(CompletableFuture<JsEngine> engine) {
    this.engine = engine;
  }

  @Override
  public int run(InstanceLaunch instance) throws InterruptedException {
    PrintStream out = new PrintStream(instance.stdout(), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(instance.stderr(), true, StandardCharsets.UTF_8);
    String[] args = instance.request().args().toArray(String[]::new);
    Optional<ServeCommand> command = Main.plainServe(args);
    if (command.isEmpty()) {
      CommandLine parser = Main.commandLine().setOut(new java.io.PrintWriter(err, true))
          .setErr(new java.io.PrintWriter(err, true));
      try {
        CommandLine.ParseResult parsed = parser.parseArgs(args);
        if (CommandLine.printHelpIfRequested(parsed)) {
          return ServeCommand.EXIT_OK;
        }
      } catch (CommandLine.ParameterException e) {
        err.println("bridgejs: " + e.getMessage());
        return 2;
      }
      command = Optional.of(parser.getCommand());
    }
    var launch = new Launch(instance.request().env(), instance.request().cwd(), out, err,
        Optional.of(engine.join()), instance.stopRequested());
    return command.get().call(launch);
  }
}
