package dev.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The command line: {@code bridgejs [OPTIONS] SCRIPT [HOST-ARGS...]} serves; {@code bridgejs call ...} is a command of
 * its own.
 */
class MainTest {
  /** Velero's server flags, a lone dash option, an empty value, a bridge option, an @file, an end of options. */
  private static final String[] HOST_ARGS =
      {"--log-level", "info", "--features=", "-x", "--dev", "@arguments.txt", "--", "--tcp"};

  private static String[] concat(String[] first, String... rest) {
    String[] all = java.util.Arrays.copyOf(first, first.length + rest.length);
    System.arraycopy(rest, 0, all, first.length, rest.length);
    return all;
  }

  @Test
  void optionsBeforeTheScriptAreBridgejssAndEverythingAfterItIsTheHostsVerbatim() {
    Main.Invocation invocation =
        Main.route(concat(new String[] {"--tcp", "--instances", "2", "../scripts/kv.js"}, HOST_ARGS));
    ServeCommand serve = assertInstanceOf(ServeCommand.class, invocation.command().getCommand());
    invocation.command().parseArgs(invocation.args());
    assertEquals(Path.of("../scripts/kv.js"), serve.options.script);
    assertTrue(serve.options.tcp);
    assertEquals(2, serve.options.instances);
    assertFalse(serve.options.dev, "--dev after the script is the host's");
    assertEquals(List.of(HOST_ARGS), serve.options.hostArgs);
  }

  @Test
  void withoutOptionsBeforeTheScriptPicocliIsNotNeededAndGivesTheSameOptions() throws IllegalAccessException {
    for (String[] args : List.of(new String[] {"../scripts/kv.js"}, concat(new String[] {"../scripts/kv.js"}, HOST_ARGS),
        new String[] {"@odd name.js", "-"})) {
      ServeCommand plain = Main.plainServe(args).orElseThrow(() -> new AssertionError(List.of(args)));
      Main.Invocation invocation = Main.route(args);
      invocation.command().parseArgs(invocation.args());
      ServeCommand parsed = (ServeCommand) invocation.command().getCommand();
      for (Class<?> type = ServeOptions.class; type != Object.class; type = type.getSuperclass()) {
        for (Field field : type.getDeclaredFields()) {
          if (!Modifier.isStatic(field.getModifiers())) {
            field.setAccessible(true);
            assertEquals(field.get(parsed.options), field.get(plain.options), List.of(args) + ": " + field.getName());
          }
        }
      }
    }
  }

  @Test
  void anOptionBeforeTheScriptIsLeftToPicocli() {
    assertTrue(Main.plainServe().isEmpty());
    assertTrue(Main.plainServe("--tcp", "../scripts/kv.js").isEmpty());
    assertTrue(Main.plainServe("--help").isEmpty());
    assertTrue(Main.plainServe("--version").isEmpty());
    assertTrue(Main.plainServe("call").isEmpty());
    assertTrue(Main.plainServe("aot-train").isEmpty());
    assertTrue(Main.plainServe("").isEmpty());
    assertTrue(Main.plainServe("bad\u0000path").isEmpty());
  }

  @Test
  void aBridgeOptionAfterTheScriptIsFoundToBeWarnedAbout() {
    assertEquals(List.of("--dev", "--call-timeout=1s", "-h"), HostArgs.bridgeOptionsAmong(
        List.of("--log-level", "info", "--dev", "--features=", "--call-timeout=1s", "-x", "-h", "dev")));
    assertEquals(List.of(), HostArgs.bridgeOptionsAmong(List.of("serve", "now")));
  }

  @Test
  void optionsMayComeBeforeTheScript() {
    Main.Invocation invocation = Main.route("--files-dir", "call", "../scripts/kv.js");
    ServeCommand serve = assertInstanceOf(ServeCommand.class, invocation.command().getCommand());
    invocation.command().parseArgs(invocation.args());
    assertEquals(Path.of("call"), serve.options.filesDir);
  }

  @Test
  void callFirstRunsTheCallCommandWithTheRest() {
    Main.Invocation invocation = Main.route("call", "../scripts/kv.js", "Get", "{}");
    CallCommand call = assertInstanceOf(CallCommand.class, invocation.command().getCommand());
    invocation.command().parseArgs(invocation.args());
    assertEquals("Get", call.options.method);
    assertEquals("{}", call.options.request);
  }

  @Test
  void servingsHelpNamesTheCallCommand() {
    String usage = Main.commandLine().getUsageMessage();
    assertTrue(usage.contains("SCRIPT") && usage.contains("[HOST-ARGS...]"), usage);
    assertTrue(usage.contains("bridgejs call [OPTIONS] SCRIPT METHOD [JSON]"), usage);
  }

  @Test
  void servingStillWantsItsHostsCookie() {
    assumeTrue(System.getenv("BASIC_PLUGIN") == null, "run by a host");
    // What ServeCommand does to the process: stdout handed to stderr, the hclog handler installed; put back after.
    PrintStream out = System.out;
    PrintStream err = System.err;
    Logger root = LogManager.getLogManager().getLogger("");
    Handler[] handlers = root.getHandlers();
    Level rootLevel = root.getLevel();
    Level bridgeLevel = Logger.getLogger("dev.bridge").getLevel();
    var stdout = new ByteArrayOutputStream();
    var stderr = new ByteArrayOutputStream();
    int exitCode;
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
      exitCode = Main.route("../scripts/kv.js").run();
    } finally {
      System.setOut(out);
      System.setErr(err);
      for (Handler handler : root.getHandlers()) {
        root.removeHandler(handler);
      }
      for (Handler handler : handlers) {
        root.addHandler(handler);
      }
      root.setLevel(rootLevel);
      Logger.getLogger("dev.bridge").setLevel(bridgeLevel);
    }
    assertEquals(ServeCommand.EXIT_FAILURE, exitCode);
    assertEquals("", stdout.toString(StandardCharsets.UTF_8));
    assertTrue(stderr.toString(StandardCharsets.UTF_8).startsWith("This binary is a plugin."), stderr.toString());
  }
}
