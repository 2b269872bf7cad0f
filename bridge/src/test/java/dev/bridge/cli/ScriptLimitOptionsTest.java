package dev.bridge.cli;

import static dev.bridge.cli.ServeOptionsParsing.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** --load-timeout and --instances, their manifest fields loadTimeout and instances, and their errors. */
class ScriptLimitOptionsTest {
  @TempDir Path dir;

  private Path pluginWithManifestFields(String fields) throws Exception {
    Path script = Files.writeString(dir.resolve("p.js"), "");
    Files.writeString(dir.resolve("p.plugin.json"), """
        {"proto": "p.proto", "handshake": {"magicCookieKey": "K", "magicCookieValue": "V"}%s}
        """.formatted(fields.isEmpty() ? "" : ", " + fields));
    return script;
  }

  @Test
  void byDefaultOneInstanceLoadsWithin30Seconds() throws Exception {
    PluginConfig config = PluginConfig.resolve(parse(pluginWithManifestFields("").toString()));
    assertEquals(1, config.instances());
    assertEquals(Duration.ofSeconds(30), config.loadTimeout());
  }

  @Test
  void theManifestDeclaresThemAndOptionsOverrideThem() throws Exception {
    Path script = pluginWithManifestFields("\"loadTimeout\": \"5s\", \"instances\": 4");
    PluginConfig fromManifest = PluginConfig.resolve(parse(script.toString()));
    assertEquals(Duration.ofSeconds(5), fromManifest.loadTimeout());
    assertEquals(4, fromManifest.instances());
    PluginConfig overridden = PluginConfig.resolve(parse(script.toString(), "--load-timeout=1m", "--instances", "2"));
    assertEquals(Duration.ofMinutes(1), overridden.loadTimeout());
    assertEquals(2, overridden.instances());
  }

  @Test
  void anInstanceCountOutOfRangeNamesWhereItCameFrom() throws Exception {
    Path script = pluginWithManifestFields("\"instances\": 0");
    var fromManifest = assertThrows(StartupException.class, () -> PluginConfig.resolve(parse(script.toString())));
    assertEquals(dir.resolve("p.plugin.json") + ": field \"instances\" must be from 1 to 64, got 0",
        fromManifest.getMessage());
    var fromOption = assertThrows(StartupException.class,
        () -> PluginConfig.resolve(parse(script.toString(), "--instances=100")));
    assertEquals("--instances must be from 1 to 64, got 100", fromOption.getMessage());
  }

  @Test
  void anInstanceCountThatIsNotAWholeNumberIsRefused() throws Exception {
    Path script = pluginWithManifestFields("\"instances\": \"four\"");
    var error = assertThrows(StartupException.class, () -> PluginConfig.resolve(parse(script.toString())));
    assertEquals(dir.resolve("p.plugin.json") + ":1:98: field \"instances\" must be a whole number, not \"four\"",
        error.getMessage());
    assertThrows(CommandLine.ParameterException.class, () -> parse("p.js", "--instances=four"));
  }

  @Test
  void aBadLoadTimeoutNamesTheField() throws Exception {
    Path script = pluginWithManifestFields("\"loadTimeout\": \"never\"");
    var error = assertThrows(StartupException.class, () -> PluginConfig.resolve(parse(script.toString())));
    assertEquals(dir.resolve("p.plugin.json") + ":1:100: field \"loadTimeout\": 'never' is not a duration: expected a "
        + "number and a unit (ms, s, m, h; e.g. 30s, 500ms, 1m30s)", error.getMessage());
  }
}
