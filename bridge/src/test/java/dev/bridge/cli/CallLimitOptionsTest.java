package dev.bridge.cli;

import static dev.bridge.cli.ServeOptionsParsing.parse;
import static dev.bridge.cli.ServeOptionsParsing.parseError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --call-timeout and --max-message-size, their manifest fields callTimeout and maxMessageSize, and their errors. */
class CallLimitOptionsTest {
  @TempDir Path dir;

  @Test
  void durationsAreWrittenAsInGo() {
    assertEquals(Duration.ofSeconds(30), Units.parseDuration("30s"));
    assertEquals(Duration.ofMillis(500), Units.parseDuration("500ms"));
    assertEquals(Duration.ofMillis(1500), Units.parseDuration("1.5s"));
    assertEquals(Duration.ofSeconds(90), Units.parseDuration("1m30s"));
    assertEquals(Duration.ofHours(2), Units.parseDuration("2h"));
    assertEquals(Duration.ofNanos(250_000), Units.parseDuration("250us"));
  }

  @Test
  void theCallTimeoutOptionTakesADuration() {
    assertEquals(Duration.ofMillis(500), parse("kv.js", "--call-timeout=500ms").callTimeout);
    assertEquals(Duration.ofSeconds(45), parse("--call-timeout", "45s", "kv.js").callTimeout);
  }

  @Test
  void aBadDurationIsRefusedNamingTheOptionAndWhatIsExpected() {
    assertEquals("Invalid value for option '--call-timeout': 'soon' is not a duration: expected a number and a unit "
        + "(ms, s, m, h; e.g. 30s, 500ms, 1m30s)", parseError("kv.js", "--call-timeout=soon"));
    assertEquals("Invalid value for option '--call-timeout': '30' needs a unit: for example 30s or 30ms",
        parseError("kv.js", "--call-timeout=30"));
    assertEquals("Invalid value for option '--call-timeout': '0s' is zero: give a positive duration",
        parseError("kv.js", "--call-timeout=0s"));
    assertEquals("Invalid value for option '--call-timeout': '-5s' is not a duration: expected a number and a unit "
        + "(ms, s, m, h; e.g. 30s, 500ms, 1m30s)", parseError("kv.js", "--call-timeout=-5s"));
    assertEquals("Invalid value for option '--call-timeout': '400d' is not a duration: expected a number and a unit "
        + "(ms, s, m, h; e.g. 30s, 500ms, 1m30s)", parseError("kv.js", "--call-timeout=400d"));
    assertEquals("Invalid value for option '--call-timeout': '9000h' is too long: at most 365 days",
        parseError("kv.js", "--call-timeout=9000h"));
  }

  @Test
  void theMaxMessageSizeOptionTakesBytesOrBinaryUnits() {
    assertEquals(16 * 1024 * 1024, parse("kv.js", "--max-message-size=16MiB").maxMessageSize);
    assertEquals(512 * 1024, parse("kv.js", "--max-message-size=512kib").maxMessageSize);
    assertEquals(1000, parse("kv.js", "--max-message-size=1000").maxMessageSize);
    assertEquals("Invalid value for option '--max-message-size': 'lots' is not a size: expected bytes or a number "
        + "with KiB, MiB or GiB (e.g. 4194304, 512KiB, 16MiB)", parseError("kv.js", "--max-message-size=lots"));
    assertEquals("Invalid value for option '--max-message-size': '2GiB' is too large: at most 2147483647 bytes "
        + "(just under 2GiB)", parseError("kv.js", "--max-message-size=2GiB"));
  }

  @Test
  void withoutOptionOrManifestFieldTheDefaultsAre30SecondsAnd4MiB() throws Exception {
    PluginConfig config = PluginConfig.resolve(parse("../scripts/kv.js"));
    assertEquals(Duration.ofSeconds(30), config.callTimeout());
    assertEquals(4 * 1024 * 1024, config.maxMessageSize());
  }

  @Test
  void theManifestDeclaresLimitsAndOptionsOverrideThem() throws Exception {
    Path script = Files.writeString(dir.resolve("p.js"), "");
    Files.writeString(dir.resolve("p.plugin.json"), """
        {"proto": "p.proto", "handshake": {"magicCookieKey": "K", "magicCookieValue": "V"},
         "callTimeout": "2m", "maxMessageSize": 1048576}
        """);
    PluginConfig fromManifest = PluginConfig.resolve(parse(script.toString()));
    assertEquals(Duration.ofMinutes(2), fromManifest.callTimeout());
    assertEquals(1024 * 1024, fromManifest.maxMessageSize());
    PluginConfig overridden = PluginConfig.resolve(parse(script.toString(), "--call-timeout=5s",
        "--max-message-size=8MiB"));
    assertEquals(Duration.ofSeconds(5), overridden.callTimeout());
    assertEquals(8 * 1024 * 1024, overridden.maxMessageSize());
  }

  @Test
  void aBadManifestLimitNamesTheFileAndField() throws Exception {
    Path file = Files.writeString(dir.resolve("p.plugin.json"), "{\"callTimeout\": \"fast\"}");
    var error = assertThrows(StartupException.class, () -> PluginManifest.read(file));
    assertEquals(file + ":1:17: field \"callTimeout\": 'fast' is not a duration: expected a number and a unit "
        + "(ms, s, m, h; e.g. 30s, 500ms, 1m30s)", error.getMessage());
    Files.writeString(file, "{\"callTimeout\": 30}");
    error = assertThrows(StartupException.class, () -> PluginManifest.read(file));
    assertEquals(file + ":1:17: field \"callTimeout\" must be a duration such as \"30s\" or \"500ms\", not 30",
        error.getMessage());
    Files.writeString(file, "{\"maxMessageSize\": \"huge\"}");
    error = assertThrows(StartupException.class, () -> PluginManifest.read(file));
    assertEquals(file + ":1:20: field \"maxMessageSize\": 'huge' is not a size: expected bytes or a number with "
        + "KiB, MiB or GiB (e.g. 4194304, 512KiB, 16MiB)", error.getMessage());
  }
}
