package dev.bridge.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * {@code bridgejs [OPTIONS] SCRIPT [HOST-ARGS...]}: serve a JavaScript plugin to a go-plugin host;
 * {@code bridgejs call SCRIPT METHOD [JSON]}: run one of its handlers without a host; {@code bridgejs types} and
 * {@code bridgejs init}: TypeScript declarations and a starter plugin for script authors.
 */
public final class Main {
  private Main() {}

  /** Commands beside serving, by the name that comes first on the command line. */
  private static final Map<String, Supplier<Object>> SUBCOMMANDS = new LinkedHashMap<>();
  /** The same, left out of the help: for the build, not for users. */
  private static final Map<String, Supplier<Object>> HIDDEN_SUBCOMMANDS = Map.of("aot-train", AotTrainingCommand::new);

  static {
    SUBCOMMANDS.put("call", CallCommand::new);
    SUBCOMMANDS.put("types", TypesCommand::new);
    SUBCOMMANDS.put("init", InitCommand::new);
    SUBCOMMANDS.put("pack", PackCommand::new);
    SUBCOMMANDS.put("warm", WarmCommand::new);
  }

  public static void main(String[] args) {
    NettyJfrEvents.offUnlessSet();
    Optional<String> stdoutProblem = KeptStdout.use();
    if (stdoutProblem.isPresent()) {
      System.err.println(stdoutProblem.get());
      System.exit(1);
    }
    System.exit(plainServe(args).map(Main::serve).orElseGet(() -> route(args).run()));
  }

  /**
   * {@code bridgejs SCRIPT [HOST-ARGS...]}, no option of bridgejs before SCRIPT, the command line a host is usually
   * given, is served without picocli: its classes are Java 5 class files, which the JDK's AOT cache cannot hold,
   * and parsing with them costs about 150 ms of every start. Every other command line goes through picocli
   * ({@link #route}); both give the same options (MainTest).
   */
  static Optional<ServeCommand> plainServe(String... args) {
    if (args.length == 0 || args[0].isEmpty() || args[0].startsWith("-")
        || SUBCOMMANDS.containsKey(args[0]) || HIDDEN_SUBCOMMANDS.containsKey(args[0])) {
      return Optional.empty();
    }
    Path script;
    try {
      script = Path.of(args[0]);
    } catch (InvalidPathException e) {
      return Optional.empty(); // picocli says what is wrong with it
    }
    var command = new ServeCommand();
    command.options.script = script;
    command.options.hostArgs = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
    return Optional.of(command);
  }

  private static int serve(ServeCommand command) {
    try {
      return command.call();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return reportBug(e);
    } catch (RuntimeException e) {
      return reportBug(e);
    }
  }

  /** A command line to run and the arguments it gets. */
  record Invocation(CommandLine command, String[] args) {
    int run() {
      return command.execute(args);
    }
  }

  /**
   * A subcommand's name first runs that subcommand on its own; anything else is serving's command line,
   * parsed as it always was. (Run as picocli subcommands, they would need serving's SCRIPT too.)
   */
  static Invocation route(String... args) {
    if (args.length > 0 && (SUBCOMMANDS.containsKey(args[0]) || HIDDEN_SUBCOMMANDS.containsKey(args[0]))) {
      var command = SUBCOMMANDS.getOrDefault(args[0], HIDDEN_SUBCOMMANDS.get(args[0]));
      var subcommand = named(new CommandLine(command.get()), args[0]);
      return new Invocation(reportingBugs(subcommand), Arrays.copyOfRange(args, 1, args.length));
    }
    return new Invocation(commandLine(), args);
  }

  /**
   * Serving is the command itself, so that a host's {@code bridgejs SCRIPT} needs no subcommand. The other
   * commands are not picocli subcommands of it: a SCRIPT or an option value that is a command's name would
   * then no longer parse. Its help names them.
   */
  static CommandLine commandLine() {
    // Everything after SCRIPT is the host's, verbatim: not options, and no @file to expand.
    var commandLine = new CommandLine(new ServeCommand()).setStopAtPositional(true).setExpandAtFiles(false);
    List<String> footer = new ArrayList<>(List.of("", "Other commands (each with --help):"));
    SUBCOMMANDS.forEach((name, command) -> {
      CommandLine.Model.CommandSpec spec = named(new CommandLine(command.get()), name).getCommandSpec();
      footer.add("  " + new CommandLine.Help(spec).synopsis(0).strip());
      footer.add("      " + spec.usageMessage().description()[0]);
    });
    commandLine.getCommandSpec().usageMessage().footer(footer.toArray(String[]::new));
    return reportingBugs(commandLine);
  }

  private static CommandLine named(CommandLine command, String name) {
    return command.setCommandName("bridgejs " + name);
  }

  private static CommandLine reportingBugs(CommandLine commandLine) {
    return commandLine.setExecutionExceptionHandler((failure, line, parsed) -> reportBug(failure));
  }

  /** Reached only by bugs: expected failures are reported by the command itself. */
  private static int reportBug(Throwable failure) {
    java.util.logging.Logger.getLogger("dev.bridge.cli")
        .log(java.util.logging.Level.SEVERE, "bridgejs failed: " + failure, failure);
    return ServeCommand.EXIT_FAILURE;
  }
}
