package dev.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TypesCommandTest {
  @TempDir Path dir;
  private Path script;

  @BeforeEach
  void aKvPlugin() throws Exception {
    Files.createDirectories(dir.resolve("proto"));
    Files.copy(Path.of("../proto/kv.proto"), dir.resolve("proto/kv.proto"));
    Files.createDirectories(dir.resolve("scripts"));
    script = Files.writeString(dir.resolve("scripts/kv.js"), "export function Get() {}\n");
    Files.writeString(dir.resolve("scripts/kv.plugin.json"), """
        {"proto": "../proto/kv.proto", "services": ["proto.KV"]}
        """);
  }

  @Test
  void givenAScriptTheDeclarationsGoBesideIt() throws Exception {
    CommandRun run = CommandRun.of("types", script.toString());
    assertEquals(0, run.exitCode(), run.err());
    String text = Files.readString(dir.resolve("scripts/kv.d.ts"));
    assertTrue(text.contains("  interface KV {"), text);
    assertTrue(text.contains("/** @import { proto } from \"./kv\" */"), text);
    assertEquals("", run.out());
    assertTrue(run.err().contains("wrote " + dir.resolve("scripts/kv.d.ts")), run.err());
  }

  @Test
  void theScriptNeedsNoHandshakeInItsManifest() throws Exception {
    assertEquals(0, CommandRun.of("types", script.toString()).exitCode());
  }

  @Test
  void dashWritesToStandardOutput() {
    CommandRun run = CommandRun.of("types", script.toString(), "-o", "-");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("export namespace proto {"), run.out());
    assertFalse(Files.exists(dir.resolve("scripts/kv.d.ts")));
  }

  @Test
  void givenProtoFilesTheDeclarationsGoToStandardOutput() {
    CommandRun run = CommandRun.of("types", dir.resolve("proto/kv.proto").toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("  interface GetRequest {"), run.out());
  }

  @Test
  void outputNamesTheFileAndTheImportInTheExample() throws Exception {
    Path out = dir.resolve("out/plugin.d.ts");
    Files.createDirectories(out.getParent());
    assertEquals(0, CommandRun.of("types", dir.resolve("proto/kv.proto").toString(), "-o", out.toString()).exitCode());
    assertTrue(Files.readString(out).contains("from \"./plugin\""));
  }

  @Test
  void aMissingProtoFileIsNamed() {
    CommandRun run = CommandRun.of("types", dir.resolve("proto/nope.proto").toString());
    assertEquals(1, run.exitCode());
    assertEquals("bridgejs types: " + dir.resolve("proto/nope.proto") + ": no such .proto file\n", run.err());
  }

  @Test
  void aManifestsMissingProtoFileIsNamed() throws Exception {
    Files.delete(dir.resolve("proto/kv.proto"));
    CommandRun run = CommandRun.of("types", script.toString());
    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("kv.proto: no such .proto file"), run.err());
  }

  @Test
  void anUnknownServiceIsNamedWithTheOnesDefined() {
    CommandRun run = CommandRun.of("types", script.toString(), "--service", "proto.Nope");
    assertEquals(1, run.exitCode());
    assertTrue(run.err().startsWith("bridgejs types: service proto.Nope not found in "), run.err());
    assertTrue(run.err().contains("(it defines: proto.KV)"), run.err());
  }

  @Test
  void aScriptWithoutManifestIsToldToGiveTheProtoFiles() throws Exception {
    Path bare = Files.writeString(dir.resolve("bare.js"), "");
    CommandRun run = CommandRun.of("types", bare.toString());
    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains(dir.resolve("bare.plugin.json") + ": no such manifest"), run.err());
    assertTrue(run.err().contains("give the .proto files instead"), run.err());
  }

  @Test
  void aMissingScriptIsNamed() {
    CommandRun run = CommandRun.of("types", dir.resolve("scripts/nope.js").toString());
    assertEquals(1, run.exitCode());
    assertEquals("bridgejs types: " + dir.resolve("scripts/nope.js") + ": no such script file\n", run.err());
  }

  @Test
  void aScriptAndProtoFilesTogetherAreRefused() {
    CommandRun run = CommandRun.of("types", script.toString(), dir.resolve("proto/kv.proto").toString());
    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("give one script, or .proto files"), run.err());
  }

  @Test
  void aFileThatCannotBeWrittenIsNamed() {
    Path out = dir.resolve("no/such/dir/kv.d.ts");
    CommandRun run = CommandRun.of("types", script.toString(), "-o", out.toString());
    assertEquals(1, run.exitCode());
    assertTrue(run.err().startsWith("bridgejs types: cannot write " + out), run.err());
  }

  @Test
  void serveStillNeedsItsScript() {
    CommandRun run = CommandRun.of();
    assertEquals(2, run.exitCode());
    assertTrue(run.err().startsWith("Missing required parameter: 'SCRIPT'"), run.err());
  }

  @Test
  void servingsHelpNamesTheCommand() {
    CommandRun run = CommandRun.of("--help");
    assertEquals(0, run.exitCode());
    assertTrue(run.out().contains("bridgejs types"), run.out());
    assertTrue(run.out().contains("bridgejs init"), run.out());
  }
}
