package dev.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bridge.plugin.HandshakeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PluginConfigTest {
  @TempDir Path dir;

  static ServeOptions parse(String... args) {
    var options = new ServeOptions();
    new CommandLine(options).parseArgs(args);
    return options;
  }

  @Test
  void theKvExampleNeedsNothingButItsScriptPath() throws Exception {
    PluginConfig config = PluginConfig.resolve(parse("../scripts/kv.js"));
    assertEquals(new HandshakeConfig("BASIC_PLUGIN", "hello", List.of(1)), config.handshake());
    assertEquals(List.of("proto.KV"), config.services());
    assertEquals("kv.proto", config.protoFiles().getFirst().getFileName().toString());
    assertEquals(Optional.empty(), config.descriptorSet());
  }

  @Test
  void optionsOverrideTheManifest() throws Exception {
    PluginConfig config = PluginConfig.resolve(parse("../scripts/kv.js",
        "--magic-cookie-key=OTHER", "--app-protocol-version=2", "--app-protocol-version=3",
        "--proto=" + dir.resolve("other.proto"), "--service=x.Y"));
    assertEquals(new HandshakeConfig("OTHER", "hello", List.of(2, 3)), config.handshake());
    assertEquals(List.of(dir.resolve("other.proto")), config.protoFiles());
    assertEquals(List.of("x.Y"), config.services());
  }

  @Test
  void aScriptWithoutManifestCanBeDescribedByOptionsAlone() throws Exception {
    Path script = Files.writeString(dir.resolve("bare.js"), "export function Get() {}");
    PluginConfig config = PluginConfig.resolve(parse(script.toString(),
        "--proto=../proto/kv.proto", "--magic-cookie-key=K", "--magic-cookie-value=V"));
    assertEquals(new HandshakeConfig("K", "V", PluginConfig.DEFAULT_APP_PROTOCOL_VERSIONS), config.handshake());
  }

  @Test
  void aMissingScriptIsNamedFirst() {
    var error = assertThrows(StartupException.class, () -> PluginConfig.resolve(parse(dir.resolve("nope.js").toString())));
    assertEquals(dir.resolve("nope.js") + ": no such script file", error.getMessage());
  }

  @Test
  void withoutAProtoTheErrorSaysWhereOneCanBeDeclared() throws Exception {
    Path script = Files.writeString(dir.resolve("bare.js"), "");
    var error = assertThrows(StartupException.class, () -> PluginConfig.resolve(parse(script.toString(),
        "--magic-cookie-key=K", "--magic-cookie-value=V")));
    assertTrue(error.getMessage().contains("--proto FILE"), error.getMessage());
    assertTrue(error.getMessage().contains("no " + dir.resolve("bare.plugin.json") + " was found"), error.getMessage());
  }

  @Test
  void withoutACookieKeyTheErrorNamesTheManifestField() throws Exception {
    Path script = Files.writeString(dir.resolve("p.js"), "");
    Files.writeString(dir.resolve("p.plugin.json"), "{\"proto\": \"p.proto\"}");
    var error = assertThrows(StartupException.class, () -> PluginConfig.resolve(parse(script.toString())));
    assertTrue(error.getMessage().contains("\"handshake.magicCookieKey\""), error.getMessage());
    assertTrue(error.getMessage().contains(dir.resolve("p.plugin.json").toString()), error.getMessage());
  }

  @Test
  void protoFilesAndADescriptorSetTogetherAreRefused() throws Exception {
    var error = assertThrows(StartupException.class, () -> PluginConfig.resolve(parse("../scripts/kv.js",
        "--descriptor-set=" + dir.resolve("kv.pb"))));
    assertTrue(error.getMessage().startsWith("give either proto files or a descriptor set"), error.getMessage());
  }

  @Test
  void anInvalidHandshakeNamesWhereItCameFrom() throws Exception {
    var error = assertThrows(StartupException.class, () -> PluginConfig.resolve(parse("../scripts/kv.js",
        "--magic-cookie-key=")));
    assertTrue(error.getMessage().startsWith("handshake in ../scripts/kv.plugin.json: "), error.getMessage());
  }

  @Test
  void aStarCookieValueIsKeptForTheEnvironmentCheck() throws Exception {
    PluginConfig config = PluginConfig.resolve(parse("../scripts/kv.js", "--magic-cookie-value=*"));
    assertEquals(new HandshakeConfig("BASIC_PLUGIN", "*", List.of(1)), config.handshake());
    assertTrue(config.handshake().accepts("a-new-value-at-each-launch"));
  }

  @Test
  void initsPlaceholdersAreRefusedNamingWhatToFillIn() throws Exception {
    Path script = Files.writeString(dir.resolve("p.js"), "");
    Files.writeString(dir.resolve("p.plugin.json"), """
        {"proto": ["p.proto"], "handshake": {"magicCookieKey": "FILL_IN_THE_HOSTS_MAGIC_COOKIE_KEY",
         "magicCookieValue": "FILL_IN_THE_HOSTS_MAGIC_COOKIE_VALUE"}}""");
    var error = assertThrows(StartupException.class, () -> PluginConfig.resolve(parse(script.toString())));
    assertTrue(error.getMessage().contains("FILL_IN_THE_HOSTS_MAGIC_COOKIE_KEY"), error.getMessage());
    assertTrue(error.getMessage().contains("handshake.magicCookieKey"), error.getMessage());
    assertTrue(error.getMessage().contains(dir.resolve("p.plugin.json").toString()), error.getMessage());
    // bridgejs call, which needs no host, still runs the script
    assertEquals(null, PluginConfig.resolveWithoutHost(parse(script.toString())).handshake());
  }
}
