package dev.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.bridge.script.ConsoleSink;
import dev.bridge.script.JsEngine;
import dev.bridge.script.ScriptLoadException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bridgejs call}: one handler run without a host, its answer on stdout, everything else on stderr. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)  // a hang guard only
class CallCommandTest {
  private static final String KV = "../scripts/kv.js";
  /** An echo service beside the KV one: its manifest declares no handshake, which calling does not need. */
  private static final String ECHO_PROTO = """
      syntax = "proto3";
      package dev;
      import "google/protobuf/any.proto";
      message Req { string key = 1; google.protobuf.Any payload = 2; }
      message Res { string text = 1; google.protobuf.Any payload = 2; int32 count = 3; }
      message Point { int32 x = 1; int32 y = 2; }
      service Echo { rpc Get(Req) returns (Res); rpc Stream(Req) returns (stream Res); }
      service Other { rpc Get(Req) returns (Res); }
      """;
  private static final String ECHO_SCRIPT = """
      console.log("loading echo");
      export function Get({ key, payload }, { method, metadata, deadline }) {
        console.log("echoing", key);
        console.warn("a warning");
        if (key === "loop") { while (true) {} }
        return { text: JSON.stringify({ key, method, metadata, deadline: deadline !== null }), payload };
      }
      """;

  @TempDir Path files;
  @TempDir Path dir;

  record Outcome(int exitCode, String stdout, String stderr) {
    String lastErrorLine() {
      List<String> lines = stderr.lines().toList();
      return lines.isEmpty() ? "" : lines.getLast();
    }
  }

  // The command installs its log handler on the root logger, as the process would: put back the test JVM's.
  private final Logger root = LogManager.getLogManager().getLogger("");
  private final Logger bridgeLogger = Logger.getLogger("dev.bridge");
  private Handler[] rootHandlers;
  private Level rootLevel;
  private Level bridgeLevel;

  @BeforeEach
  void saveLogging() {
    rootHandlers = root.getHandlers();
    rootLevel = root.getLevel();
    bridgeLevel = bridgeLogger.getLevel();
  }

  @AfterEach
  void restoreLogging() {
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    for (Handler handler : rootHandlers) {
      root.addHandler(handler);
    }
    root.setLevel(rootLevel);
    bridgeLogger.setLevel(bridgeLevel);
  }

  private Outcome callWithInput(String stdin, String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    var terminal = new CallCommand.Terminal(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        Map.of(), false);
    int exitCode = new CommandLine(new CallCommand(terminal)).execute(args);
    return new Outcome(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Outcome call(String... args) {
    return callWithInput("", args);
  }

  private Path echoPlugin(String script) throws Exception {
    Files.writeString(dir.resolve("echo.proto"), ECHO_PROTO);
    Files.writeString(dir.resolve("echo.plugin.json"), "{\"proto\": \"echo.proto\"}");
    return Files.writeString(dir.resolve("echo.js"), script);
  }

  private static Map<String, Object> json(String text) throws Exception {
    return JSON.std.mapFrom(text);
  }

  @Test
  void putThenGetOnTheKvExampleWithBytesInBase64() throws Exception {
    String hello = Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.UTF_8));
    Outcome put = call(KV, "Put", "--files-dir", files.toString(), "{\"key\": \"greeting\", \"value\": \"" + hello + "\"}");
    assertEquals(new Outcome(0, "{}\n", ""), put);

    Outcome get = call(KV, "Get", "--files-dir", files.toString(), "{\"key\": \"greeting\"}");
    assertEquals(0, get.exitCode(), get.stderr());
    byte[] value = Base64.getDecoder().decode((String) json(get.stdout()).get("value"));
    assertEquals("hello\n\nWritten from plugin-js", new String(value, StandardCharsets.UTF_8));
    assertEquals("", get.stderr());
  }

  @Test
  void aFailingHandlerPrintsItsStatusOnStderrAndExitsWithOne() {
    Outcome get = call(KV, "Get", "--files-dir", files.toString(), "{\"key\": \"nothing\"}");
    assertEquals(CallCommand.EXIT_CALL_FAILED, get.exitCode());
    assertEquals("", get.stdout());
    assertEquals("NOT_FOUND: no value stored for key \"nothing\"", get.lastErrorLine());
  }

  @Test
  void aRequestThatIsNotJsonIsAUsageErrorNamingTheInputType() {
    Outcome get = call(KV, "Get", "--files-dir", files.toString(), "{\"key\": ");
    assertEquals(CallCommand.EXIT_USAGE, get.exitCode());
    assertEquals("", get.stdout());
    assertTrue(get.lastErrorLine().startsWith("proto.KV/Get: the request is not a valid proto.GetRequest in proto3 JSON: "),
        get.stderr());
  }

  @Test
  void aFieldTheInputTypeDoesNotHaveIsAUsageErrorNamingTheField() {
    Outcome get = call(KV, "Get", "--files-dir", files.toString(), "{\"kee\": \"a\"}");
    assertEquals(CallCommand.EXIT_USAGE, get.exitCode());
    assertEquals("proto.KV/Get: the request is not a valid proto.GetRequest in proto3 JSON: "
        + "Cannot find field: kee in message proto.GetRequest", get.lastErrorLine());
  }

  @Test
  void anUnknownMethodListsTheMethodsThereAre() {
    Outcome call = call(KV, "Gte", "--files-dir", files.toString(), "{}");
    assertEquals(CallCommand.EXIT_USAGE, call.exitCode());
    assertEquals("no method Gte in proto.KV; its methods are: proto.KV/Get, proto.KV/Put", call.lastErrorLine());
  }

  @Test
  void aScriptWithASyntaxErrorIsReportedAsServingReportsIt() throws Exception {
    Path script = echoPlugin("export function Get() {\n  return {;\n}\n");
    String servingSays;
    try (JsEngine engine = JsEngine.create()) {
      ServeOptions serving = PluginConfigTest.parse(script.toString(), "--magic-cookie-key=K", "--magic-cookie-value=V");
      PluginVersion.load(engine, PluginConfig.resolve(serving), files, ConsoleSink.discard()).scripts().close();
      throw new AssertionError("the broken script loaded");
    } catch (ScriptLoadException e) {
      servingSays = e.getMessage();
    }
    assertTrue(servingSays.startsWith(script + ":2:"), servingSays);

    Outcome call = call(script.toString(), "Get", "{}");
    assertEquals(CallCommand.EXIT_NOT_LOADED, call.exitCode());
    assertEquals(servingSays + "\n", call.stderr());
    assertEquals("", call.stdout());
  }

  /** Not a crash of the JSON printer (exit 1 without a status): the status a host gets, and its one log line. */
  @Test
  void nanInAStructIsInternalNamingTheFieldLoggedOnce() throws Exception {
    Path script = echoPlugin("export function Get() { return { payload: "
        + "{ '@type': 'type.googleapis.com/google.protobuf.Struct', value: { score: NaN } } }; }");
    Outcome call = call(script.toString(), "Echo/Get", "{}");
    String problem = "response.payload.value[\"score\"]: NaN cannot be a google.protobuf.Value number "
        + "(JSON has no NaN or Infinity: use null, a string, or a double field)";
    assertEquals(new Outcome(CallCommand.EXIT_CALL_FAILED, "",
        "bridgejs error: dev.Echo/Get failed with INTERNAL: " + problem + "\n"
            + "INTERNAL: dev.Echo/Get: " + problem + "\n"), call);
  }

  @Test
  void timeoutIsTheCallsDeadlineAndInterruptsAnEndlessLoop() throws Exception {
    Path script = echoPlugin(ECHO_SCRIPT);
    Outcome call = call(script.toString(), "Echo/Get", "--timeout", "300ms", "{\"key\": \"loop\"}");
    assertEquals(CallCommand.EXIT_CALL_FAILED, call.exitCode());
    assertTrue(call.lastErrorLine().startsWith("DEADLINE_EXCEEDED: dev.Echo/Get: "), call.stderr());
    assertEquals("", call.stdout());
  }

  @Test
  void metadataAndTheDeadlineReachTheHandlerAndTheConsoleGoesToStderr() throws Exception {
    Path script = echoPlugin(ECHO_SCRIPT);
    Outcome call = call(script.toString(), "dev.Echo/Get", "-H", "X-Trace=1", "--metadata", "x-trace=2",
        "--metadata=tenant=a=b", "--timeout=1m", "{\"key\": \"k\"}");
    assertEquals(0, call.exitCode(), call.stderr());
    assertEquals(Map.of("key", "k", "method", "dev.Echo/Get", "deadline", true,
        "metadata", Map.of("x-trace", List.of("1", "2"), "tenant", List.of("a=b"))),
        json((String) json(call.stdout()).get("text")));
    assertEquals("echo.js info: loading echo\necho.js info: echoing k\necho.js warn: a warning\n", call.stderr());
  }

  @Test
  void everyFieldIsPrintedDefaultsIncluded() throws Exception {
    Path script = echoPlugin("export function Get() { return {}; }");
    Outcome call = call(script.toString(), "Echo/Get", "{}");
    assertEquals(Map.of("text", "", "count", 0), json(call.stdout()));
  }

  @Test
  void anyTakesTheSchemasTypesBothWays() throws Exception {
    Path script = echoPlugin(ECHO_SCRIPT);
    Outcome call = call(script.toString(), "Echo/Get",
        "{\"payload\": {\"@type\": \"type.googleapis.com/dev.Point\", \"x\": 3, \"y\": 4}}");
    assertEquals(0, call.exitCode(), call.stderr());
    assertEquals(Map.of("@type", "type.googleapis.com/dev.Point", "x", 3, "y", 4), json(call.stdout()).get("payload"));
  }

  @Test
  void theRequestIsReadFromStandardInputForADashOrWhenLeftOut() throws Exception {
    Path script = echoPlugin(ECHO_SCRIPT);
    Outcome dash = callWithInput("{\"key\": \"from stdin\"}", script.toString(), "Echo/Get", "-");
    assertEquals("from stdin", json((String) json(dash.stdout()).get("text")).get("key"));
    Outcome leftOut = callWithInput("{\"key\": \"also\"}", script.toString(), "Echo/Get");
    assertEquals("also", json((String) json(leftOut.stdout()).get("text")).get("key"));
    Outcome empty = callWithInput("", script.toString(), "Echo/Get");
    assertEquals("", json((String) json(empty.stdout()).get("text")).get("key"));
  }

  @Test
  void aMethodOfSeveralServicesMustBeQualified() throws Exception {
    Path script = echoPlugin(ECHO_SCRIPT);
    Outcome call = call(script.toString(), "Get", "{}");
    assertEquals(CallCommand.EXIT_USAGE, call.exitCode());
    assertEquals("Get is a method of several services: dev.Echo/Get, dev.Other/Get; name one as Service/Method",
        call.lastErrorLine());
    assertEquals(0, call(script.toString(), "dev.Other.Get", "{}").exitCode());
  }

  @Test
  void aMethodTheBridgeCannotServeAnswersAsServingDoes() throws Exception {
    Path script = echoPlugin(ECHO_SCRIPT);
    Outcome streaming = call(script.toString(), "Stream", "{}");
    assertEquals(CallCommand.EXIT_CALL_FAILED, streaming.exitCode());
    assertTrue(streaming.lastErrorLine().startsWith("UNIMPLEMENTED: dev.Echo/Stream has no handler: "), streaming.stderr());
  }

  @Test
  void badMetadataIsAUsageError() throws Exception {
    Path script = echoPlugin(ECHO_SCRIPT);
    Outcome call = call(script.toString(), "Echo/Get", "-H", "trace", "{}");
    assertEquals(CallCommand.EXIT_USAGE, call.exitCode());
    assertEquals("--metadata trace: expected KEY=VALUE", call.lastErrorLine());
  }
}
