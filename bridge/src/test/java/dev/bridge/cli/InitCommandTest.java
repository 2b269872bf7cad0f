package dev.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.bridge.app.HandlerCoverage;
import dev.bridge.rpc.CallContext;
import dev.bridge.rpc.CallFailure;
import dev.bridge.plugin.HandshakeConfig;
import dev.bridge.script.ConsoleSink;
import dev.bridge.script.ScriptRuntime;
import dev.bridge.typings.TsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitCommandTest {
  @TempDir Path root;
  private Path proto;
  private Path dir;

  @BeforeEach
  void aProto() throws Exception {
    Files.createDirectories(root.resolve("proto"));
    proto = Files.copy(Path.of("../proto/kv.proto"), root.resolve("proto/kv.proto"));
    dir = root.resolve("plugins/store");
  }

  private CommandRun init(String... extra) {
    var args = new java.util.ArrayList<>(List.of("init", dir.toString(), "--proto", proto.toString()));
    args.addAll(List.of(extra));
    return CommandRun.of(args.toArray(String[]::new));
  }

  @Test
  void writesTheScriptManifestDeclarationsAndTsConfig() throws Exception {
    CommandRun run = init("--name", "store", "--magic-cookie-key", "BASIC_PLUGIN", "--magic-cookie-value", "hello");
    assertEquals(0, run.exitCode(), run.err());
    for (String name : List.of("store.js", "store.plugin.json", "store.d.ts", "tsconfig.json")) {
      assertTrue(Files.isRegularFile(dir.resolve(name)), name);
      assertTrue(run.err().contains("wrote " + dir.resolve(name)), run.err());
    }
    assertEquals(TsConfig.TEXT, Files.readString(dir.resolve("tsconfig.json")));
    assertEquals("""
        {
          "proto": ["../../proto/kv.proto"],
          "services": ["proto.KV"],
          "handshake": {
            "magicCookieKey": "BASIC_PLUGIN",
            "magicCookieValue": "hello",
            "appProtocolVersions": [1]
          }
        }
        """, Files.readString(dir.resolve("store.plugin.json")));
    assertFalse(run.err().contains("fill in"), run.err());
  }

  @Test
  void theScriptHasATypedStubPerMethod() throws Exception {
    assertEquals(0, init("--name", "store").exitCode());
    String script = Files.readString(dir.resolve("store.js"));
    assertTrue(script.startsWith("// @ts-check\n"), script);
    assertTrue(script.contains("/** @import { proto } from \"./store\" */\n"), script);
    assertTrue(script.contains("""
        /** @type {proto.KV["Get"]} */
        export function Get(request, context) {
          throw new RpcError("UNIMPLEMENTED", "Get is not written yet");
        }
        """), script);
    assertTrue(script.contains("export function Put(request, context) {"), script);
  }

  @Test
  void theNewPluginStartsAndEveryMethodAnswersUnimplemented() throws Exception {
    assertEquals(0, init("--magic-cookie-key", "K", "--magic-cookie-value", "V").exitCode());
    Path script = dir.resolve("kv.js");
    PluginConfig config = PluginConfig.resolve(PluginConfigTest.parse(script.toString()));
    assertEquals(new HandshakeConfig("K", "V", List.of(1)), config.handshake());
    List<ServiceDescriptor> services = SchemaSource.ofScript(script, List.of(), List.of()).load().select(config.services());
    try (ScriptRuntime runtime = ScriptRuntime.load(script, root, ConsoleSink.discard())) {
      HandlerCoverage.check(script, runtime.exportedFunctions(), services);
      for (MethodDescriptor method : services.getFirst().getMethods()) {
        var handler = runtime.handlers().find(method).orElseThrow();
        var call = handler.unary(DynamicMessage.getDefaultInstance(method.getInputType()),
            new CallContext(method.getFullName(), Map.of())).toCompletableFuture();
        var failure = assertThrows(ExecutionException.class, () -> call.get(30, TimeUnit.SECONDS));
        CallFailure cause = (CallFailure) failure.getCause();
        assertEquals("UNIMPLEMENTED", cause.code());
        assertEquals(method.getName() + " is not written yet", cause.getMessage());
      }
    }
  }

  @Test
  void servicesSharingAMethodNameGetOneTypedObjectEachAndAnswerUnimplemented() throws Exception {
    proto = Files.copy(Path.of("src/test/resources/typings/shop.proto"), root.resolve("proto/shop.proto"));
    assertEquals(0, init("--magic-cookie-key", "K", "--magic-cookie-value", "V").exitCode());
    Path script = dir.resolve("shop.js");
    String text = Files.readString(script);
    assertTrue(text.contains("""
        /** @type {shop.v1.Inventory} */
        export const Inventory = {
          Get(request, context) {
            throw new RpcError("UNIMPLEMENTED", "Inventory.Get is not written yet");
          },
        """), text);
    assertTrue(text.contains("/** @type {shop.v1.Orders} */\nexport const Orders = {\n  Get(request, context) {"), text);
    assertFalse(text.contains("export function"), text);
    PluginConfig config = PluginConfig.resolve(PluginConfigTest.parse(script.toString()));
    List<ServiceDescriptor> services = SchemaSource.ofScript(script, List.of(), List.of()).load().select(config.services());
    assertEquals(2, services.size());
    try (ScriptRuntime runtime = ScriptRuntime.load(script, root, ConsoleSink.discard())) {
      HandlerCoverage.check(script, runtime.exports(), services, services);
      for (ServiceDescriptor service : services) {
        for (MethodDescriptor method : service.getMethods()) {
          var call = runtime.handlers().find(method).orElseThrow().unary(
              DynamicMessage.getDefaultInstance(method.getInputType()), new CallContext(method.getFullName(), Map.of()))
              .toCompletableFuture();
          var failure = assertThrows(ExecutionException.class, () -> call.get(30, TimeUnit.SECONDS));
          assertEquals(service.getName() + "." + method.getName() + " is not written yet",
              failure.getCause().getMessage());
        }
      }
    }
  }

  /**
   * Every shape gets a stub of its form in the service objects (two services share Get). The unary stubs run here;
   * the streaming ones are checked by their text and, in tools/typings-check.sh, by tsc: running them needs the
   * script runtime's streaming calls.
   */
  @Test
  void everyShapeGetsAStubAndTheUnaryOnesAnswerUnimplemented() throws Exception {
    proto = Files.copy(Path.of("src/test/resources/typings/shapes.proto"), root.resolve("proto/shapes.proto"));
    assertEquals(0, init("--magic-cookie-key", "K", "--magic-cookie-value", "V").exitCode());
    Path script = dir.resolve("shapes.js");
    String text = Files.readString(script);
    assertTrue(text.contains("""
        /** @type {shapes.v1.Inventory} */
        export const Inventory = {
          Get(request, context) {
            throw new RpcError("UNIMPLEMENTED", "Inventory.Get is not written yet");
          },
          async *Count(request, context) {
            // each `yield { ... };` sends one response; returning ends the stream
            throw new RpcError("UNIMPLEMENTED", "Inventory.Count is not written yet");
          },
          async Sum(requests, context) {
            // for await (const request of requests) { ... }  then return the one response
            throw new RpcError("UNIMPLEMENTED", "Inventory.Sum is not written yet");
          },
          async *Echo(requests, context) {
            // for await (const request of requests) yield { ... };  (any number of responses, as you go)
            throw new RpcError("UNIMPLEMENTED", "Inventory.Echo is not written yet");
          },
        """), text);
    String declarations = Files.readString(dir.resolve("shapes.d.ts"));
    assertTrue(declarations.contains("Count: (request: CountRequest, context: CallContext) => AsyncIterable<ItemInit>;"),
        declarations);
    PluginConfig config = PluginConfig.resolve(PluginConfigTest.parse(script.toString()));
    List<ServiceDescriptor> services = SchemaSource.ofScript(script, List.of(), List.of()).load().select(config.services());
    try (ScriptRuntime runtime = ScriptRuntime.load(script, root, ConsoleSink.discard())) {
      HandlerCoverage.check(script, runtime.exports(), services, services);
      for (ServiceDescriptor service : services) {
        for (MethodDescriptor method : service.getMethods()) {
          if (method.isClientStreaming() || method.isServerStreaming()) {
            continue;
          }
          var call = runtime.handlers().find(method).orElseThrow().unary(
              DynamicMessage.getDefaultInstance(method.getInputType()), new CallContext(method.getFullName(), Map.of()))
              .toCompletableFuture();
          var failure = assertThrows(ExecutionException.class, () -> call.get(30, TimeUnit.SECONDS));
          assertEquals(service.getName() + "." + method.getName() + " is not written yet",
              failure.getCause().getMessage());
        }
      }
    }
  }

  @Test
  void withoutTheHostsCookieTheManifestHasPlaceholdersAndSaysWhatToFillIn() throws Exception {
    CommandRun run = init();
    assertEquals(0, run.exitCode(), run.err());
    String manifest = Files.readString(dir.resolve("kv.plugin.json"));
    assertTrue(manifest.contains("\"magicCookieKey\": \"FILL_IN_THE_HOSTS_MAGIC_COOKIE_KEY\""), manifest);
    assertTrue(run.err().contains("fill in handshake.magicCookieKey and magicCookieValue in " + dir.resolve("kv.plugin.json")),
        run.err());
  }

  @Test
  void theNameDefaultsToTheProtosName() {
    assertEquals(0, init().exitCode());
    assertTrue(Files.isRegularFile(dir.resolve("kv.js")));
  }

  @Test
  void anExistingFileIsNamedAndNothingIsWritten() throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("tsconfig.json"), "{}");
    CommandRun run = init();
    assertEquals(1, run.exitCode());
    assertEquals("bridgejs init: " + dir.resolve("tsconfig.json") + " already exists; init never overwrites a file: "
        + "choose another directory or --name\n", run.err());
    assertEquals("{}", Files.readString(dir.resolve("tsconfig.json")));
    assertFalse(Files.exists(dir.resolve("kv.js")));
  }

  @Test
  void aSecondInitIntoTheSameDirectoryIsRefused() {
    assertEquals(0, init().exitCode());
    CommandRun again = init();
    assertEquals(1, again.exitCode());
    assertTrue(again.err().contains(dir.resolve("kv.js") + " already exists"), again.err());
  }

  @Test
  void aMissingProtoFileIsNamed() {
    proto = root.resolve("proto/nope.proto");
    CommandRun run = init();
    assertEquals(1, run.exitCode());
    assertEquals("bridgejs init: " + proto + ": no such .proto file\n", run.err());
  }

  @Test
  void anUnknownServiceIsNamed() {
    CommandRun run = init("--service", "proto.Nope");
    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("service proto.Nope not found"), run.err());
  }

  @Test
  void aProtoWithoutServicesHasNothingToScaffold() throws Exception {
    proto = Files.writeString(root.resolve("proto/types.proto"), "syntax = \"proto3\";\nmessage M { string a = 1; }\n");
    CommandRun run = init();
    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("defines no service"), run.err());
  }

  @Test
  void aNameThatCannotNameFilesIsRefused() {
    CommandRun run = init("--name", "../escape");
    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("plugin name \"../escape\""), run.err());
  }

  @Test
  void theProtoIsRequired() {
    CommandRun run = CommandRun.of("init", dir.toString());
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("--proto"), run.err());
  }
}
