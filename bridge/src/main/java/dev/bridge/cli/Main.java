package dev.bridge.cli;

import picocli.CommandLine;

/** {@code java -jar bridge.jar SCRIPT [OPTIONS]}: serve a JavaScript plugin to a go-plugin host. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    var commandLine = new CommandLine(new ServeCommand());
    commandLine.setExecutionExceptionHandler((failure, line, parsed) -> {
      // Reached only by bugs: expected failures are reported by the command itself.
      java.util.logging.Logger.getLogger("dev.bridge.cli")
          .log(java.util.logging.Level.SEVERE, "bridge failed: " + failure, failure);
      return ServeCommand.EXIT_FAILURE;
    });
    System.exit(commandLine.execute(args));
  }
}
