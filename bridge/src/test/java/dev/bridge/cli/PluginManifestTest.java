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
    assertTrue(error.getMessage().startsWith(file + ":1:31: unknown field \"handshake.magicCookie\""), error.getMessage());
  }

  @Test
  void aWrongTypeNamesTheFieldAndTheValue() throws Exception {
    Path file = Files.writeString(dir.resolve("p.plugin.json"), "{\"handshake\": {\"appProtocolVersions\": [\"one\"]}}");
    var error = assertThrows(StartupException.class, () -> PluginManifest.read(file));
    assertEquals(file + ":1:39: field \"handshake.appProtocolVersions\" must be a whole number or a list of them, "
        + "not [\"one\"]", error.getMessage());
  }

  @Test
  void everyFieldErrorSaysWhereTheValueIsAsASyntaxErrorDoes() throws Exception {
    Path file = Files.writeString(dir.resolve("p.plugin.json"),
        "{\n  \"proto\": \"a.proto\",\n  \"instances\": \"two\"\n}\n");
    var error = assertThrows(StartupException.class, () -> PluginManifest.read(file));
    assertEquals(file + ":3:16: field \"instances\" must be a whole number, not \"two\"", error.getMessage());

    Files.writeString(file, "{\n  \"permissions\": {\n    \"read\": [\"a\",\n      \"\"]\n  }\n}\n");
    error = assertThrows(StartupException.class, () -> PluginManifest.read(file));
    assertEquals(file + ":4:7: field \"permissions.read[1]\": an empty path", error.getMessage());

    Files.writeString(file, "\n  [1]");
    error = assertThrows(StartupException.class, () -> PluginManifest.read(file));
    assertEquals(file + ":2:3: expected a JSON object at the top level", error.getMessage());
  }

  @Test
  void aMisspelledFieldIsAnsweredWithTheNameItMostLikelyMeant() throws Exception {
    Path file = Files.writeString(dir.resolve("p.plugin.json"),
        "{\"handshake\": {\"magicCookeKey\": \"K\", \"magicCookieValue\": \"v\"}}");
    var error = assertThrows(StartupException.class, () -> PluginManifest.read(file));
    assertEquals(file + ":1:33: unknown field \"handshake.magicCookeKey\" (did you mean \"magicCookieKey\"? "
        + "known: appProtocolVersions, magicCookieKey, magicCookieValue)", error.getMessage());

    Path top = Files.writeString(dir.resolve("q.plugin.json"), "{\"protos\": [\"a.proto\"]}");
    var topError = assertThrows(StartupException.class, () -> PluginManifest.read(top));
    assertTrue(topError.getMessage().startsWith(top + ":1:12: unknown field \"protos\" (did you mean \"proto\"? known: "),
        topError.getMessage());

    Path far = Files.writeString(dir.resolve("r.plugin.json"), "{\"colour\": \"blue\"}");
    var farError = assertThrows(StartupException.class, () -> PluginManifest.read(far));
    assertTrue(farError.getMessage().startsWith(far + ":1:12: unknown field \"colour\" (known: "), farError.getMessage());
  }

  @Test
  void aSyntaxErrorIsReportedAtItsFileLineAndColumn() throws Exception {
    Path comma = Files.writeString(dir.resolve("comma.plugin.json"),
        "{\n  \"proto\": [\"a.proto\"],\n  \"services\": [\"x.S\"],\n}\n");
    var error = assertThrows(StartupException.class, () -> PluginManifest.read(comma));
    assertTrue(error.getMessage().startsWith(comma + ":4:1: not valid JSON: "), error.getMessage());

    Path unquoted = Files.writeString(dir.resolve("unquoted.plugin.json"), "{\n  proto: \"a.proto\"\n}");
    error = assertThrows(StartupException.class, () -> PluginManifest.read(unquoted));
    assertTrue(error.getMessage().startsWith(unquoted + ":2:3: not valid JSON: Unexpected character ('p'"),
        error.getMessage());

    Path twice = Files.writeString(dir.resolve("twice.plugin.json"),
        "{\"proto\": \"a.proto\",\n \"proto\": \"b.proto\"}");
    error = assertThrows(StartupException.class, () -> PluginManifest.read(twice));
    assertTrue(error.getMessage().startsWith(twice + ":2:2:"), error.getMessage());
    assertTrue(error.getMessage().endsWith("not valid JSON: duplicate key \"proto\""), error.getMessage());

    Path trailing = Files.writeString(dir.resolve("trailing.plugin.json"), "{\"proto\": \"a.proto\"} x");
    error = assertThrows(StartupException.class, () -> PluginManifest.read(trailing));
    assertTrue(error.getMessage().startsWith(trailing + ":1:"), error.getMessage());
  }

  @Test
  void brokenJsonIsRefusedNamingTheFile() throws Exception {
    Path file = Files.writeString(dir.resolve("p.plugin.json"), "{\"proto\": ");
    var error = assertThrows(StartupException.class, () -> PluginManifest.read(file));
    assertTrue(error.getMessage().startsWith(file + ":1:11: not valid JSON: Unexpected end-of-input"),
        error.getMessage());
  }

  @Test
  void warmIsTrueFalseOrAbsent() throws Exception {
    assertEquals(Optional.of(true), PluginManifest.read(Files.writeString(dir.resolve("a.plugin.json"),
        "{\"warm\": true}")).warm());
    assertEquals(Optional.of(false), PluginManifest.read(Files.writeString(dir.resolve("b.plugin.json"),
        "{\"warm\": false}")).warm());
    assertEquals(Optional.empty(), PluginManifest.read(Files.writeString(dir.resolve("c.plugin.json"), "{}")).warm());
    assertEquals(Optional.empty(), PluginManifest.empty().warm());
  }

  @Test
  void aWarmThatIsNotTrueOrFalseIsRefusedNamingTheFileAndField() throws Exception {
    for (String value : List.of("\"true\"", "1", "\"yes\"", "{}")) {
      Path file = Files.writeString(dir.resolve("p.plugin.json"), "{\"warm\": " + value + "}");
      var error = assertThrows(StartupException.class, () -> PluginManifest.read(file));
      assertEquals(file + ":1:10: field \"warm\" must be true or false, not " + value, error.getMessage());
    }
  }

  @Test
  void theManifestOfAScriptSitsBesideItUnderItsBaseName() {
    assertEquals(Path.of("x/shop.plugin.json"), PluginManifest.besideScript(Path.of("x/shop.js")));
    assertEquals(Path.of("x/shop.plugin.json"), PluginManifest.besideScript(Path.of("x/shop.mjs")));
  }
}
