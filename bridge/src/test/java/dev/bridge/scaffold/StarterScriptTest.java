package dev.bridge.scaffold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bridge.schema.ProtoFileLoader;
import dev.bridge.schema.ProtoSchema;
import dev.bridge.typings.Typings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StarterScriptTest {
  @TempDir Path dir;

  private String script(String proto) throws Exception {
    Path file = Files.writeString(dir.resolve("p.proto"), proto);
    ProtoSchema schema = new ProtoFileLoader().load(List.of(file), List.of());
    return StarterScript.text(schema.services(), Typings.generate(schema.files(), schema.services(), "./p"), "./p",
        "p.proto");
  }

  @Test
  void aMethodNamedLikeAReservedWordIsExportedUnderItsName() throws Exception {
    String text = script("""
        syntax = "proto3";
        package p;
        message M {}
        service S { rpc delete(M) returns (M); }
        """);
    assertTrue(text.contains("function delete_(request, context) {"), text);
    assertTrue(text.contains("export { delete_ as delete };"), text);
    assertTrue(text.contains("/** @type {p.S[\"delete\"]} */"), text);
  }

  @Test
  void everyShapeGetsAStubInItsFormThatAnswersUnimplementedAtOnce() throws Exception {
    String text = script("""
        syntax = "proto3";
        package p;
        message M {}
        service S {
          rpc Get(M) returns (M);
          rpc Watch(M) returns (stream M);
          rpc Upload(stream M) returns (M);
          rpc Chat(stream M) returns (stream M);
        }
        """);
    assertTrue(text.contains("/** @type {p.S[\"Get\"]} */\nexport function Get(request, context) {\n"
        + "  throw new RpcError(\"UNIMPLEMENTED\", \"Get is not written yet\");\n}\n"), text);
    assertTrue(text.contains("/** @type {p.S[\"Watch\"]} */\nexport async function* Watch(request, context) {\n"
        + "  // each `yield { ... };` sends one response; returning ends the stream\n"
        + "  throw new RpcError(\"UNIMPLEMENTED\", \"Watch is not written yet\");\n}\n"), text);
    assertTrue(text.contains("/** @type {p.S[\"Upload\"]} */\nexport async function Upload(requests, context) {\n"
        + "  // for await (const request of requests) { ... }  then return the one response\n"
        + "  throw new RpcError(\"UNIMPLEMENTED\", \"Upload is not written yet\");\n}\n"), text);
    assertTrue(text.contains("/** @type {p.S[\"Chat\"]} */\nexport async function* Chat(requests, context) {\n"
        + "  // for await (const request of requests) yield { ... };  (any number of responses, as you go)\n"
        + "  throw new RpcError(\"UNIMPLEMENTED\", \"Chat is not written yet\");\n}\n"), text);
    assertFalse(text.contains("not serve"), text);
  }

  @Test
  void aStreamingMethodNamedLikeAReservedWordIsAGeneratorExportedUnderItsName() throws Exception {
    String text = script("""
        syntax = "proto3";
        package p;
        message M {}
        service S { rpc yield(M) returns (stream M); }
        """);
    assertTrue(text.contains("async function* yield_(request, context) {"), text);
    assertTrue(text.contains("export { yield_ as yield };"), text);
  }

  @Test
  void inServiceObjectsEveryShapeIsAMethodOfItsForm() throws Exception {
    String text = script("""
        syntax = "proto3";
        package p;
        message M {}
        service A { rpc Get(M) returns (M); rpc Watch(M) returns (stream M); }
        service B { rpc Get(M) returns (M); rpc Upload(stream M) returns (M); rpc Chat(stream M) returns (stream M); }
        """);
    assertTrue(text.contains("/** @type {p.A} */\nexport const A = {\n  Get(request, context) {\n"), text);
    assertTrue(text.contains("  async *Watch(request, context) {\n"
        + "    // each `yield { ... };` sends one response; returning ends the stream\n"
        + "    throw new RpcError(\"UNIMPLEMENTED\", \"A.Watch is not written yet\");\n  },\n"), text);
    assertTrue(text.contains("  async Upload(requests, context) {\n"), text);
    assertTrue(text.contains("  async *Chat(requests, context) {\n"), text);
    assertTrue(text.contains("\"B.Chat is not written yet\""), text);
  }

  @Test
  void servicesSharingAMethodNameGetAnObjectEachNamedByTheRule() throws Exception {
    String text = script("""
        syntax = "proto3";
        package p;
        message M {}
        service A { rpc Get(M) returns (M); }
        service B { rpc Get(M) returns (M); }
        """);
    assertFalse(text.contains("export function"), text);
    assertTrue(text.contains("/** @type {p.A} */\nexport const A = {\n  Get(request, context) {\n"), text);
    assertTrue(text.contains("/** @type {p.B} */\nexport const B = {\n  Get(request, context) {\n"
        + "    throw new RpcError(\"UNIMPLEMENTED\", \"B.Get is not written yet\");\n  },\n};\n"), text);
  }

  @Test
  void manifestPathsAreRelativeToThePluginsDirectory() {
    assertEquals("../proto/kv.proto", StarterManifest.relative(dir.resolve("plugin"), dir.resolve("proto/kv.proto")));
    assertEquals("kv.proto", StarterManifest.relative(dir, dir.resolve("kv.proto")));
  }
}
