package dev.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginManifestTest {
  @TempDir Path dir;

  @Test
  void theKvExampleDeclaresItsProtoServiceAndHandshake() throws Exception {
    Path script = Path.of("../scripts/kv.js");
    PluginManifest manifest = PluginManifest.read(PluginManifest.besideScript(script));
    assertEquals(Path.of("../scripts/kv.plugin.json"), manifest.file());
    assertEquals(Path.of("../proto/kv.proto").toAbsolutePath().normalize(), manifest.protoFiles().getFirst().normalize());
    assertEquals(List.of("proto.KV"), manifest.services());
    assertEquals(Optional.of("BASIC_PLUGIN"), manifest.magicCookieKey());
    assertEquals(Optional.of("hello"), manifest.magicCookieValue());
    assertEquals(List.of(1), manifest.appProtocolVersions());
  }

  @Test
  void singleValuesMayStandForLists() throws Exception {
    Path file = Files.writeString(dir.resolve("p.plugin.json"),
        "{\"proto\": \"a.proto\", \"handshake\": {\"appProtocolVersions\": 3}}");
    PluginManifest manifest = PluginManifest.read(file);
    assertEquals(List.of(dir.toAbsolutePath().resolve("a.proto")), manifest.protoFiles());
    assertEquals(List.of(3), manifest.appProtocolVersions());
  }

  @Test
  void aMisspelledFieldIsRefusedByName() throws Exception {
    Path file = Files.writeString(dir.resolve("p.plugin.json"), "{\"handshake\": {\"magicCookie\": \"x\"}}");
    var error = assertThrows(StartupException.class, () -> PluginManifest.read(file));
    assertTrue(error.getMessage().startsWith(file + ": unknown field \"handshake.magicCookie\""), error.getMessage());
  }

  @Test
  void aWrongTypeNamesTheFieldAndTheValue() throws Exception {
    Path file = Files.writeString(dir.resolve("p.plugin.json"), "{\"handshake\": {\"appProtocolVersions\": [\"one\"]}}");
    var error = assertThrows(StartupException.class, () -> PluginManifest.read(file));
    assertEquals(file + ": field \"handshake.appProtocolVersions\" must be a whole number or a list of them, not [\"one\"]",
        error.getMessage());
  }

  @Test
  void brokenJsonIsRefusedNamingTheFile() throws Exception {
    Path file = Files.writeString(dir.resolve("p.plugin.json"), "{\"proto\": ");
    var error = assertThrows(StartupException.class, () -> PluginManifest.read(file));
    assertTrue(error.getMessage().startsWith(file + ": not valid JSON"), error.getMessage());
  }

  @Test
  void theManifestOfAScriptSitsBesideItUnderItsBaseName() {
    assertEquals(Path.of("x/shop.plugin.json"), PluginManifest.besideScript(Path.of("x/shop.js")));
    assertEquals(Path.of("x/shop.plugin.json"), PluginManifest.besideScript(Path.of("x/shop.mjs")));
  }
}
