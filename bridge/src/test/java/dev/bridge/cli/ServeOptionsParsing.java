package dev.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertThrows;

import picocli.CommandLine;

/** Serving's options parsed alone, as the option tests check each option and its error. */
final class ServeOptionsParsing {
  private ServeOptionsParsing() {}

  static ServeOptions parse(String... args) {
    var options = new ServeOptions();
    new CommandLine(options).parseArgs(args);
    return options;
  }

  /** The message of the error that parsing {@code args} must end with. */
  static String parseError(String... args) {
    return assertThrows(CommandLine.ParameterException.class, () -> parse(args)).getMessage();
  }
}
