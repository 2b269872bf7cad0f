package dev.bridge.typings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bridge.schema.ProtoSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole declaration files: what is declared, where, and under which names. */
class DeclarationFileTest {
  @TempDir Path dir;

  @Test
  void theCommittedKvDeclarationsAreWhatTheGeneratorWritesNow() throws Exception {
    ProtoSchema kv = TestSchemas.KV;
    String text = Typings.generate(kv.files(), kv.services(), "./kv").text();
    assertEquals(Files.readString(Path.of("../scripts/kv.d.ts")), text,
        "scripts/kv.d.ts is stale: run bridgejs types scripts/kv.js");
  }

  @Test
  void theKvScriptsTsConfigIsTheOneInitWrites() throws Exception {
    assertEquals(TsConfig.TEXT, Files.readString(Path.of("../scripts/tsconfig.json")));
  }

  @Test
  void aServiceIsAnInterfaceOfHandlerSignaturesInItsPackagesNamespace() {
    String text = TestSchemas.declarations(TestSchemas.KV);
    assertTrue(text.contains("export namespace proto {\n"), text);
    assertTrue(text.contains("  interface KV {\n"
        + "    /** `rpc Get(proto.GetRequest) returns (proto.GetResponse)` */\n"
        + "    Get: (request: GetRequest, context: CallContext) => GetResponseInit | Promise<GetResponseInit>;\n"), text);
    assertTrue(text.contains(
        "Put: (request: PutRequest, context: CallContext) => EmptyInit | void | Promise<EmptyInit | void>;"), text);
  }

  @Test
  void aMessageHasAReceivedAndAReturnedInterface() {
    String text = TestSchemas.declarations(TestSchemas.KV);
    assertTrue(text.contains("  interface PutRequest {\n"
        + "    /** `string key = 1` */\n"
        + "    key: string;\n"
        + "    /** `bytes value = 2` */\n"
        + "    value: Uint8Array;\n"
        + "  }\n"), text);
    assertTrue(text.contains("  interface PutRequestInit {\n"
        + "    /** `string key = 1` */\n"
        + "    key?: string | null;\n"), text);
  }

  @Test
  void aReturnedFieldMayUseItsJsonName() {
    String text = TestSchemas.declarations(TestSchemas.EVERYTHING);
    assertTrue(text.contains("    by_name?: { readonly [key: string]: NodeInit } | ReadonlyMap<string, NodeInit> | null;\n"
        + "    /** `map<string, mapping.Node> by_name = 4`, by its JSON name */\n"
        + "    byName?: { readonly [key: string]: NodeInit } | ReadonlyMap<string, NodeInit> | null;\n"), text);
  }

  @Test
  void aRecursiveMessageRefersToItself() {
    String text = TestSchemas.declarations(TestSchemas.EVERYTHING);
    assertTrue(text.contains("    child?: Node;\n    /** `repeated mapping.Node children = 3` */\n    children: Node[];"),
        text);
    assertTrue(text.contains("    child?: NodeInit | null;"), text);
  }

  @Test
  void wellKnownTypesWithAFormOfTheirOwnAreNotDeclaredButEmptyIsAnOrdinaryMessage() {
    String text = TestSchemas.declarations(TestSchemas.EVERYTHING);
    assertTrue(text.contains("export namespace google.protobuf {\n"
        + "  /** `google.protobuf.Empty` as a handler receives it. */\n"
        + "  interface Empty {}\n"), text);
    for (String name : List.of("Timestamp", "Duration", "StringValue", "Struct", "Value", "Any", "FieldMask")) {
      assertFalse(text.contains("interface " + name + " "), name);
    }
  }

  @Test
  void aReturnedMessageWithoutFieldsAcceptsOnlyAnEmptyObject() {
    String text = TestSchemas.declarations(TestSchemas.KV);
    assertTrue(text.contains("  interface EmptyInit {\n    readonly [key: string]: never;\n  }\n"), text);
  }

  @Test
  void mapEntryTypesAreWrittenAsObjectsNotDeclared() {
    assertFalse(TestSchemas.declarations(TestSchemas.EVERYTHING).contains("Entry"));
  }

  @Test
  void anEnumIsAUnionOfItsNamesAndOnlyTheFirstNameOfAnAliasedNumberArrives() {
    String text = TestSchemas.declarations(TestSchemas.SHADOWING);
    assertTrue(text.contains("  type Kind = \"KIND_UNSPECIFIED\" | \"SMALL\";\n"), text);
    assertTrue(text.contains("kind?: Item.Kind | \"LITTLE\" | number | null;"), text);
  }

  @Test
  void namesThatShadowOthersAreQualifiedOrRenamed() {
    String text = TestSchemas.declarations(TestSchemas.SHADOWING);
    // the package-less message Date hides the global Date at the root: globals go through globalThis
    assertTrue(text.contains("export interface Date {\n"), text);
    assertTrue(text.contains("  at?: globalThis.Date;\n"), text);
    assertTrue(text.contains("  readonly deadline: globalThis.Date | null;\n"), text);
    // Item's nested Date hides the root's inside Item
    assertTrue(text.contains("  local?: Item.Date;\n  /** `Date root = 2` */\n  root?: Date;\n"), text);
    // a message took the helper's name CallContext, and another the name of Item's returned form
    assertTrue(text.contains("Now: (request: CallContext, context: CallContext_) =>"), text);
    assertTrue(text.contains("export interface ItemInit_ {\n"), text);
    assertTrue(text.contains("Describe: (request: Item, context: CallContext_) => ItemInitInit | Promise<ItemInitInit>;"),
        text);
    // reserved words get an underscore; a message Uint8Array hides the global inside its package
    assertTrue(text.contains("export namespace function_.v1 {\n"), text);
    assertTrue(text.contains("    data: globalThis.Uint8Array;\n"), text);
    assertTrue(text.contains("    then?: Promise.function_;\n"), text);
  }

  @Test
  void importedTypesAreDeclaredOnlyWhereUsed() throws Exception {
    Files.writeString(dir.resolve("shared.proto"), """
        syntax = "proto3";
        package shared;
        message Used { string id = 1; }
        message Unused { string id = 1; }
        """);
    ProtoSchema schema = TestSchemas.of(dir, "main.proto", """
        syntax = "proto3";
        package main;
        import "shared.proto";
        service S { rpc Call(shared.Used) returns (shared.Used); }
        """);
    String text = TestSchemas.declarations(schema);
    assertTrue(text.contains("export namespace shared {\n"), text);
    assertTrue(text.contains("interface Used {"), text);
    assertFalse(text.contains("Unused"), text);
    assertTrue(text.contains("Call: (request: shared.Used, context: CallContext) => shared.UsedInit"), text);
  }

  @Test
  void eachHandlerIsTypedByItsCallShape() {
    String text = TestSchemas.declarations(TestSchemas.SHAPES);
    assertTrue(text.contains("  interface Inventory {\n"
        + "    /** `rpc Get(shapes.v1.CountRequest) returns (shapes.v1.Item)` */\n"
        + "    Get: (request: CountRequest, context: CallContext) => ItemInit | Promise<ItemInit>;\n"
        + "    /** `rpc Count(shapes.v1.CountRequest) returns (stream shapes.v1.Item)` */\n"
        + "    Count: (request: CountRequest, context: CallContext) => AsyncIterable<ItemInit>;\n"
        + "    /** `rpc Sum(stream shapes.v1.Item) returns (shapes.v1.Summary)` */\n"
        + "    Sum: (requests: AsyncIterable<Item>, context: CallContext) => SummaryInit | Promise<SummaryInit>;\n"
        + "    /** `rpc Echo(stream shapes.v1.Ping) returns (stream shapes.v1.Ping)` */\n"
        + "    Echo: (requests: AsyncIterable<Ping>, context: CallContext) => AsyncIterable<PingInit>;\n"), text);
    // each yielded value follows a unary response's rules: nothing is an Empty, or a wrapper's default
    assertTrue(text.contains("    Ticks: (request: google.protobuf.Empty, context: CallContext)"
        + " => AsyncIterable<google.protobuf.EmptyInit | void>;\n"), text);
    assertTrue(text.contains("    Names: (requests: AsyncIterable<string>, context: CallContext)"
        + " => AsyncIterable<string | null | void>;\n"), text);
    assertFalse(text.contains("not served yet"), text);
  }

  @Test
  void aProtoTypeNamedAsyncIterableDoesNotHideTheGlobalOne() throws Exception {
    ProtoSchema schema = TestSchemas.of(dir, "iterable.proto", """
        syntax = "proto3";
        package s;
        message AsyncIterable { string id = 1; }
        service Feed { rpc Watch(stream AsyncIterable) returns (stream AsyncIterable); }
        """);
    String text = TestSchemas.declarations(schema);
    assertTrue(text.contains("    Watch: (requests: globalThis.AsyncIterable<AsyncIterable>, context: CallContext)"
        + " => globalThis.AsyncIterable<AsyncIterableInit>;\n"), text);
  }

  @Test
  void theHeadersExampleWritesTheFirstMethodInTheFormOfItsShape() throws Exception {
    ProtoSchema schema = TestSchemas.of(dir, "feed.proto", """
        syntax = "proto3";
        package s;
        message M { string id = 1; }
        service Feed { rpc Watch(M) returns (stream M); rpc Get(M) returns (M); }
        """);
    String text = Typings.generate(schema.files(), schema.services(), "./feed").text();
    assertTrue(text.contains("//   /** @type {s.Feed[\"Watch\"]} */\n"
        + "//   export async function* Watch(request, context) { ... }\n"), text);
    String shared = Typings.generate(TestSchemas.SHAPES.files(), TestSchemas.SHAPES.services(), "./shapes").text();
    assertTrue(shared.contains("//   export const Inventory = { Get(request, context) { ... } };\n"), shared);
  }

  @Test
  void theSameSchemaGivesTheSameFile() {
    assertEquals(TestSchemas.declarations(TestSchemas.EVERYTHING), TestSchemas.declarations(TestSchemas.EVERYTHING));
  }

  @Test
  void theRuntimesGlobalsAreDeclaredForScripts() {
    String text = TestSchemas.declarations(TestSchemas.KV);
    assertTrue(text.contains("declare global {\n"), text);
    for (String global : List.of("var fs: PluginFs;", "var bridge: PluginBridge;", "var RpcError: RpcErrorConstructor;", "var console: Console;",
        "var TextEncoder: TextEncoderConstructor;", "var TextDecoder: TextDecoderConstructor;",
        "function setTimeout<", "function clearTimeout(", "function setInterval<", "function clearInterval(",
        "function setImmediate<", "function clearImmediate(", "function queueMicrotask(")) {
      assertTrue(text.contains("  " + global), global);
    }
  }
}
