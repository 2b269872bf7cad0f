package dev.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.bridge.app.PluginVersion;
import dev.bridge.cli.CallRuns.Outcome;
import dev.bridge.script.ConsoleSink;
import dev.bridge.script.JsEngine;
import dev.bridge.script.ScriptLoadException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code bridgejs call}: one handler run without a host, its answer on stdout, everything else on stderr. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)  // a hang guard only
@ExtendWith(CallRuns.class)
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

  /** Two services in one file, as the shop example: a script implementing both is one plugin. */
  private static final String SHOP_PROTO = """
      syntax = "proto3";
      package shop.v1;
      import "google/protobuf/timestamp.proto";
      enum Kind { KIND_UNSPECIFIED = 0; KIND_BOOK = 1; }
      message Item { string sku = 1; int64 stock = 2; int64 unit_price = 3; Kind kind = 4; }
      message Line { string sku = 1; uint32 quantity = 2; }
      message PlaceRequest {
        Item item = 1;
        repeated Line lines = 2;
        map<string, Line> by_name = 3;
        google.protobuf.Timestamp at = 4;
        oneof pay { string card = 5; string cash = 6; }
      }
      message Reply { string echo = 1; }
      service Orders { rpc Place(PlaceRequest) returns (Reply); }
      service Inventory { rpc Restock(Item) returns (Reply); }
      """;
  private static final String SHOP_SCRIPT = """
      export function Place({ item, lines, by_name, at }) {
        return { echo: [item?.sku, String(item?.stock), String(item?.unit_price), String(item?.kind), lines.length,
          Object.keys(by_name).join("+"), at ? "at" : "-"].join(",") };
      }
      export function Restock(item) {
        return { echo: "restocked " + item.sku };
      }
      """;

  @TempDir Path files;
  @TempDir Path dir;

  private static Outcome callWithInput(String stdin, String... args) {
    return CallRuns.call(stdin, args);
  }

  private static Outcome call(String... args) {
    return callWithInput("", args);
  }

  private Path echoPlugin(String script) throws Exception {
    Files.writeString(dir.resolve("echo.proto"), ECHO_PROTO);
    Files.writeString(dir.resolve("echo.plugin.json"), "{\"proto\": \"echo.proto\"}");
    return Files.writeString(dir.resolve("echo.js"), script);
  }

  /** shop.js beside shop.proto, the manifest naming the proto and {@code manifestServices} (JSON, may be empty). */
  private Path shopPlugin(String script, String manifestServices) throws Exception {
    Files.writeString(dir.resolve("shop.proto"), SHOP_PROTO);
    Files.writeString(dir.resolve("shop.plugin.json"), "{\"proto\": \"shop.proto\"" + manifestServices + "}");
    return Files.writeString(dir.resolve("shop.js"), script);
  }

  private static final String NOT_A_PLACE_REQUEST =
      "shop.v1.Orders/Place: the request is not a valid shop.v1.PlaceRequest in proto3 JSON: ";

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
  void theBrokerRejectsForWantOfAHost() throws Exception {
    Path script = echoPlugin("""
        export async function Get({ key }) {
          await broker.dial(7, "dev.Echo");
          return {};
        }
        """);
    Outcome call = call(script.toString(), "Get", "{}");
    assertEquals(CallCommand.EXIT_CALL_FAILED, call.exitCode());
    assertEquals("FAILED_PRECONDITION: broker.dial(7, \"dev.Echo\"): the broker needs a go-plugin host (bridgejs call"
        + " has no broker; serve the plugin to a host to use it)", call.lastErrorLine());
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
        + "request.kee at line 1, column 9: no field \"kee\" in proto.GetRequest (did you mean \"key\"?)",
        get.lastErrorLine());
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
      PluginVersion.load(engine, PluginConfig.resolve(serving).spec(), files, ConsoleSink.discard()).scripts().close();
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
  void aRefusedValueInsideAnAnyIsNamedAsAFieldOfItsType() throws Exception {
    Path script = echoPlugin(ECHO_SCRIPT);
    Outcome inside = call(script.toString(), "Echo/Get",
        "{\"payload\": {\"@type\": \"type.googleapis.com/dev.Point\", \"x\": 3, \"y\": \"four\"}}");
    assertEquals(CallCommand.EXIT_USAGE, inside.exitCode());
    assertEquals("dev.Echo/Get: the request is not a valid dev.Req in proto3 JSON: request.payload.y at line 1, "
        + "column 69: Not an int32 value: \"four\"", inside.lastErrorLine());
    Outcome unknownType = call(script.toString(), "Echo/Get",
        "{\"payload\": {\"@type\": \"type.googleapis.com/dev.Nope\"}}");
    assertTrue(unknownType.lastErrorLine().startsWith("dev.Echo/Get: the request is not a valid dev.Req in proto3 JSON: "
        + "request.payload.@type at line 1, column 23: "), unknownType.stderr());
    assertTrue(unknownType.lastErrorLine().contains("dev.Nope"), unknownType.stderr());
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
  void aMethodOfSeveralServicesMustBeQualifiedAndIsServedByItsServicesObject() throws Exception {
    Files.writeString(dir.resolve("echo.proto"), ECHO_PROTO + "service Other { rpc Get(Req) returns (Res); }\n");
    Files.writeString(dir.resolve("echo.plugin.json"), "{\"proto\": \"echo.proto\"}");
    Path script = Files.writeString(dir.resolve("echo.js"), """
        export const Echo = { Get() { return { text: "echo" }; } };
        export const Other = { name: "other", Get() { return { text: this.name }; } };
        """);
    Outcome call = call(script.toString(), "Get", "{}");
    assertEquals(CallCommand.EXIT_USAGE, call.exitCode());
    assertEquals("Get is a method of several services: dev.Echo/Get, dev.Other/Get; name one as Service/Method",
        call.lastErrorLine());
    Outcome other = call(script.toString(), "dev.Other.Get", "{}");
    assertEquals(0, other.exitCode(), other.stderr());
    assertEquals("other", json(other.stdout()).get("text"));
    assertEquals("echo", json(call(script.toString(), "Echo/Get", "{}").stdout()).get("text"));
  }

  @Test
  void aFlatExportOfAMethodNameSeveralServicesShareDoesNotStart() throws Exception {
    Files.writeString(dir.resolve("echo.proto"), ECHO_PROTO + "service Other { rpc Get(Req) returns (Res); }\n");
    Files.writeString(dir.resolve("echo.plugin.json"), "{\"proto\": \"echo.proto\"}");
    Path script = Files.writeString(dir.resolve("echo.js"), "export function Get() { return {}; }\n");
    Outcome call = call(script.toString(), "dev.Other/Get", "{}");
    assertTrue(call.exitCode() != 0, call.stderr());
    assertTrue(call.stderr().contains("echo.js exports Get, a method of both dev.Echo, dev.Other"), call.stderr());
    assertTrue(call.stderr().contains("export const Other = { Get(request, context) { ... } };"), call.stderr());
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

  @Test
  void aScriptRunByCallHasNoHostArguments() throws Exception {
    Path script = echoPlugin("export function Get() { return { text: JSON.stringify(bridge.args) }; }\n");
    Outcome call = call(script.toString(), "dev.Echo/Get", "{}");
    assertEquals(0, call.exitCode(), call.stderr());
    assertEquals("[]", json(call.stdout()).get("text"));
  }

  @Test
  void aRefusedValueIsNamedByItsFieldPathLineAndColumn() throws Exception {
    Path script = shopPlugin(SHOP_SCRIPT, "");
    Outcome stock = call(script.toString(), "Place", "{\"item\": {\"sku\": \"b1\", \"stock\": \"abc\"}}");
    assertEquals(CallCommand.EXIT_USAGE, stock.exitCode());
    assertEquals("", stock.stdout());
    assertEquals(NOT_A_PLACE_REQUEST + "request.item.stock at line 1, column 33: Not an int64 value: \"abc\"",
        stock.lastErrorLine());

    Outcome quantity = call(script.toString(), "Place",
        "{\n  \"lines\": [\n    {\"quantity\": 2},\n    {\"sku\": \"b1\", \"quantity\": -1}\n  ]\n}");
    assertEquals(NOT_A_PLACE_REQUEST + "request.lines[1].quantity at line 4, column 31: Out of range uint32 value: -1",
        quantity.lastErrorLine());

    Outcome mapValue = call(script.toString(), "Place", "{\"byName\": {\"a\": {}, \"b\": {\"quantity\": \"many\"}}}");
    assertTrue(mapValue.lastErrorLine().startsWith(
        NOT_A_PLACE_REQUEST + "request.byName[\"b\"].quantity at line 1, column 40: "), mapValue.stderr());

    Outcome enumValue = call(script.toString(), "Place", "{\"item\": {\"kind\": \"KIND_BOOKS\"}}");
    assertTrue(enumValue.lastErrorLine().startsWith(NOT_A_PLACE_REQUEST + "request.item.kind at line 1, column 19: "),
        enumValue.stderr());
    assertTrue(enumValue.lastErrorLine().contains("KIND_BOOKS"), enumValue.stderr());

    Outcome timestamp = call(script.toString(), "Place", "{\"at\": \"yesterday\"}");
    assertTrue(timestamp.lastErrorLine().startsWith(
        NOT_A_PLACE_REQUEST + "request.at at line 1, column 8: Failed to parse timestamp: \"yesterday\""),
        timestamp.stderr());

    Outcome unknown = call(script.toString(), "Place", "{\"item\": {\"stok\": 1}}");
    assertEquals(NOT_A_PLACE_REQUEST + "request.item.stok at line 1, column 19: no field \"stok\" in shop.v1.Item "
        + "(did you mean \"stock\"?)", unknown.lastErrorLine());

    // Each member of the oneof is right alone: the message that holds both is at fault.
    Outcome oneof = call(script.toString(), "Place", "{\"card\": \"x\", \"cash\": \"y\"}");
    assertTrue(oneof.lastErrorLine().startsWith(NOT_A_PLACE_REQUEST + "request at line 1, column 1: "), oneof.stderr());
  }

  @Test
  void theRequestMustBeStrictJsonAsProto3JsonIs() throws Exception {
    Path script = shopPlugin(SHOP_SCRIPT, "");
    Outcome unquoted = call(script.toString(), "Place", "{item: {sku: \"b1\"}}");
    assertEquals(CallCommand.EXIT_USAGE, unquoted.exitCode());
    assertEquals(NOT_A_PLACE_REQUEST + "line 1, column 2: Unexpected character ('i' (code 105)): was expecting "
        + "double-quote to start field name", unquoted.lastErrorLine());
    Outcome single = call(script.toString(), "Place", "{\"item\": {'sku': \"b1\"}}");
    assertTrue(single.lastErrorLine().startsWith(NOT_A_PLACE_REQUEST + "line 1, column 11: "), single.stderr());
    Outcome trailingComma = call(script.toString(), "Place", "{\"item\": {},\n}");
    assertTrue(trailingComma.lastErrorLine().startsWith(NOT_A_PLACE_REQUEST + "line 2, column 1: "),
        trailingComma.stderr());
    Outcome twice = call(script.toString(), "Place", "{\"item\": {}, \"item\": {}}");
    assertEquals(NOT_A_PLACE_REQUEST + "line 1, column 14: duplicate key \"item\"", twice.lastErrorLine());
  }

  @Test
  void proto3JsonSemanticsAreKept() throws Exception {
    Path script = shopPlugin(SHOP_SCRIPT, "");
    // Proto and JSON names, 64-bit integers as strings or numbers, enums by name or number, a Timestamp.
    Outcome call = call(script.toString(), "Place", "{\"item\": {\"sku\": \"b1\", \"stock\": \"9007199254740993\", "
        + "\"unit_price\": 12, \"kind\": \"KIND_BOOK\"}, \"lines\": [{\"quantity\": 3}], "
        + "\"by_name\": {\"a\": {}}, \"at\": \"2026-01-02T03:04:05Z\"}");
    assertEquals(0, call.exitCode(), call.stderr());
    assertEquals(Map.of("echo", "b1,9007199254740993,12,KIND_BOOK,1,a,at"), json(call.stdout()));
    Outcome byNumber = call(script.toString(), "Place", "{\"item\": {\"unitPrice\": \"7\", \"kind\": 1}}");
    assertEquals(0, byNumber.exitCode(), byNumber.stderr());
    assertEquals(Map.of("echo", ",0,7,KIND_BOOK,0,,-"), json(byNumber.stdout()));
  }

  @Test
  void narrowingToOneServiceLeavesTheOtherServicesHandlersUnserved() throws Exception {
    Path script = shopPlugin(SHOP_SCRIPT, "");
    Outcome place = call(script.toString(), "Place", "--service", "shop.v1.Orders", "{\"item\": {\"sku\": \"b1\"}}");
    assertEquals(0, place.exitCode(), place.stderr());
    Outcome restock = call(script.toString(), "Restock", "--service", "shop.v1.Orders", "{}");
    assertEquals(CallCommand.EXIT_USAGE, restock.exitCode());
    assertEquals("no method Restock in shop.v1.Orders (shop.v1.Inventory/Restock is not served: --service or the "
        + "manifest's \"services\" leave its service out); its methods are: shop.v1.Orders/Place",
        restock.lastErrorLine());

    // An export that implements no method of any loaded service is still refused, by name.
    Path typo = shopPlugin(SHOP_SCRIPT + "export function Restok() { return {}; }\n", "");
    Outcome refused = call(typo.toString(), "Place", "--service", "shop.v1.Orders", "{}");
    assertEquals(CallCommand.EXIT_NOT_LOADED, refused.exitCode());
    assertEquals(typo + " exports Restok, which matches no method of shop.v1.Orders, shop.v1.Inventory "
        + "(their methods: Place, Restock); rename it or stop exporting it", refused.lastErrorLine());
  }

  @Test
  void theManifestsServicesNarrowAsServiceDoes() throws Exception {
    Path script = shopPlugin(SHOP_SCRIPT, ", \"services\": [\"shop.v1.Orders\"]");
    Outcome place = call(script.toString(), "Place", "{\"item\": {\"sku\": \"b1\"}}");
    assertEquals(0, place.exitCode(), place.stderr());
    assertEquals(Map.of("echo", "b1,0,0,KIND_UNSPECIFIED,0,,-"), json(place.stdout()));
    Outcome inventory = call(script.toString(), "Restock", "--service", "shop.v1.Inventory", "{\"sku\": \"b2\"}");
    assertEquals(0, inventory.exitCode(), inventory.stderr());
    assertEquals(Map.of("echo", "restocked b2"), json(inventory.stdout()));
  }
}
