package dev.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The command line: {@code bridgejs SCRIPT} serves as it always did; {@code bridgejs call ...} is a command of its own. */
class MainTest {
  @Test
  void aScriptAndOptionsAreServingsCommandLineAsBefore() {
    Main.Invocation invocation = Main.route("../scripts/kv.js", "--tcp", "--instances", "2");
    ServeCommand serve = assertInstanceOf(ServeCommand.class, invocation.command().getCommand());
    assertArrayEquals(new String[] {"../scripts/kv.js", "--tcp", "--instances", "2"}, invocation.args());
    invocation.command().parseArgs(invocation.args());
    assertEquals(Path.of("../scripts/kv.js"), serve.options.script);
    assertTrue(serve.options.tcp);
    assertEquals(2, serve.options.instances);
  }

  @Test
  void aLoneScriptIsServedWithTheOptionsPicocliWouldGive() throws IllegalAccessException {
    ServeCommand plain = Main.plainServe("../scripts/kv.js").orElseThrow();
    Main.Invocation invocation = Main.route("../scripts/kv.js");
    invocation.command().parseArgs(invocation.args());
    ServeCommand parsed = (ServeCommand) invocation.command().getCommand();
    for (Class<?> type = ServeOptions.class; type != Object.class; type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        if (!Modifier.isStatic(field.getModifiers())) {
          field.setAccessible(true);
          assertEquals(field.get(parsed.options), field.get(plain.options), field.getName());
        }
      }
    }
  }

  @Test
  void anythingButALoneScriptIsLeftToPicocli() {
    assertTrue(Main.plainServe().isEmpty());
    assertTrue(Main.plainServe("../scripts/kv.js", "--tcp").isEmpty());
    assertTrue(Main.plainServe("--help").isEmpty());
    assertTrue(Main.plainServe("--version").isEmpty());
    assertTrue(Main.plainServe("@arguments.txt").isEmpty());
    assertTrue(Main.plainServe("call").isEmpty());
    assertTrue(Main.plainServe("aot-train").isEmpty());
    assertTrue(Main.plainServe("").isEmpty());
    assertTrue(Main.plainServe("bad\u0000path").isEmpty());
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
    assertTrue(usage.contains("SCRIPT"), usage);
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
