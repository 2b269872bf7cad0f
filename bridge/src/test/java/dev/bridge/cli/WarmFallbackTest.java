package dev.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/** What a JVM serving a plugin itself says when warm mode was asked for: one line, naming why. */
class WarmFallbackTest {
  private static final Optional<Path> MANIFEST = Optional.of(Path.of("kv.plugin.json"));

  @Test
  void aManifestAskingForWarmInAJvmStartedDirectlyIsSaidAtInfo() {
    var note = WarmFallback.of(true, MANIFEST, Map.of()).orElseThrow();
    assertEquals(Level.INFO, note.level());
    assertTrue(note.message().startsWith("kv.plugin.json: \"warm\": true asks for the warm runtime, but this plugin "
        + "runs in a JVM of its own, started directly (java -jar, or bin/bridgejs without bridge/target/bridgejs-warm"),
        note.message());
    assertEquals(note, WarmFallback.of(true, MANIFEST, Map.of("BRIDGE_WARM", "")).orElseThrow(), "empty is unset");
  }

  @Test
  void bridgeWarm0OverridesTheManifestQuietlyAndAnotherValueSaysSo() {
    var zero = WarmFallback.of(true, MANIFEST, Map.of("BRIDGE_WARM", "0")).orElseThrow();
    assertEquals(Level.FINE, zero.level());
    assertTrue(zero.message().startsWith("BRIDGE_WARM=0 in the environment overrides \"warm\": true of kv.plugin.json"),
        zero.message());
    var yes = WarmFallback.of(true, MANIFEST, Map.of("BRIDGE_WARM", "yes")).orElseThrow();
    assertEquals(Level.INFO, yes.level());
    assertTrue(yes.message().contains("BRIDGE_WARM=yes in the environment overrides"), yes.message());
  }

  @Test
  void bridgeWarm1InAJvmStartedDirectlyIsSaidWhateverTheManifest() {
    var note = WarmFallback.of(false, Optional.empty(), Map.of("BRIDGE_WARM", "1")).orElseThrow();
    assertEquals(Level.INFO, note.level());
    assertTrue(note.message().startsWith("BRIDGE_WARM=1 asks for the warm runtime"), note.message());
  }

  @Test
  void nothingIsSaidWhenWarmModeWasNotAskedFor() {
    assertEquals(Optional.empty(), WarmFallback.of(false, MANIFEST, Map.of()));
    assertEquals(Optional.empty(), WarmFallback.of(false, MANIFEST, Map.of("BRIDGE_WARM", "0")));
  }
}
