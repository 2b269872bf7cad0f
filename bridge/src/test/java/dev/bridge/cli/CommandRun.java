package dev.bridge.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One run of the bridge's command line, as {@link Main} wires it, with what it printed.
 *
 * @param exitCode the command's exit code
 * @param out standard output
 * @param err standard error
 */
record CommandRun(int exitCode, String out, String err) {
  static CommandRun of(String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    Main.Invocation invocation = Main.route(args);
    int code = invocation.command().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute(invocation.args());
    return new CommandRun(code, out.toString(), err.toString());
  }
}
