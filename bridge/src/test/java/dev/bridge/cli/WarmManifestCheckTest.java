package dev.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code bridgejs-warm --wants-warm ARGS} (src/main/c/manifest_warm.c), which bin/bridgejs asks before any JVM starts:
 * exit 0 when the manifest the bridge would read says {@code "warm": true}, 1 when it does not, 2 when in doubt. Run
 * on the client the build made (before the tests), and checked against what the bridge itself reads.
 */
class WarmManifestCheckTest {
  private static final int WARM = 0;
  private static final int COLD = 1;
  private static final int IN_DOUBT = 2;

  @TempDir Path dir;

  private static Path client() {
    Path client = Path.of("target/bridgejs-warm").toAbsolutePath();
    if (!Files.isExecutable(client)) {
      fail(client + " is not built: the build compiles it with cc before the tests (mvn -B package)");
    }
    return client;
  }

  /** The client's exit code for bridgejs's arguments {@code args}, run in {@link #dir}. */
  private int check(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(client().toString(), "--wants-warm"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("bridgejs-warm --wants-warm " + String.join(" ", args) + " still runs after 10 s");
    }
    String output = new String(process.getInputStream().readAllBytes());
    assertEquals("", output, "the check prints nothing: " + List.of(args));
    return process.exitValue();
  }

  /** A manifest beside p.js, whose other fields are all the bridge's own. */
  private Path manifest(String text) throws IOException {
    return Files.writeString(dir.resolve("p.plugin.json"), text);
  }

  /** What the bridge reads of the same manifest: its "warm", or the error it refuses it with. */
  private static Optional<Boolean> bridgeReads(Path manifest) throws StartupException {
    return PluginManifest.read(manifest).warm();
  }

  /**
   * @param text the manifest
   * @param expected the client's answer
   * @param bridgeWarm what the bridge reads of "warm" (absent: false), or null when it refuses the manifest
   */
  private record Case(String text, int expected, Boolean bridgeWarm) {}

  @Test
  void theAnswerIsTheBridgesOwnReadingOfTheManifest() throws Exception {
    List<Case> cases = List.of(
        new Case("{\"warm\": true}", WARM, true),
        new Case("{\"proto\": \"a.proto\", \"warm\": false}", COLD, false),
        new Case("{\"proto\": \"a.proto\"}", COLD, false),
        new Case("{\"warm\": null}", COLD, false),
        new Case("{}", COLD, false),
        // Whitespace of every kind, escapes in keys and strings, values of every kind before the field.
        new Case(" {\r\n\t\"services\" : [ \"a.S\" , \"b.\\\"S\\\\\\u00e9\\/\" ],\n \"handshake\": {\"magicCookieKey\": "
            + "\"K\", \"appProtocolVersions\": [1, 2]}, \"maxMessageSize\": 1500, \"instances\": 2,\n"
            + " \"w\\u0061rm\"\t:true }\n", WARM, true),
        // The client reads JSON, not the bridge's fields: what else is wrong the bridge says, warm or cold.
        new Case("{\"x\": [-0, 1.5e3, -2.5E-3, 10, true, false, null, {}, [], {\"a\": [[]]}], \"warm\": true}", WARM, null),
        // "warm" only counts at the top level: not in a nested object, a list or a string.
        new Case("{\"handshake\": {\"warm\": true}, \"services\": [\"warm\", {\"warm\": true}]}", COLD, null),
        new Case("{\"descriptorSet\": \"{\\\"warm\\\": true}\", \"services\": [\"warm\"]}", COLD, false),
        // Not JSON, or a "warm" the bridge refuses: served cold, where the bridge says what is wrong.
        new Case("{\"warm\": true", IN_DOUBT, null),
        new Case("{\"warm\": true,}", IN_DOUBT, null),
        new Case("{\"warm\": true} {}", IN_DOUBT, null),
        new Case("{warm: true}", IN_DOUBT, null),
        new Case("{\"warm\": \"true\"}", IN_DOUBT, null),
        new Case("{\"warm\": 1}", IN_DOUBT, null),
        new Case("{\"warm\": True}", IN_DOUBT, null),
        new Case("{\"warm\": true, \"warm\": false}", IN_DOUBT, null),
        new Case("{\"services\": [\"a\" \"b\"], \"warm\": true}", IN_DOUBT, null),
        new Case("{\"services\": \"a\u0001\", \"warm\": true}", IN_DOUBT, null),
        new Case("{\"services\": \"\\x\", \"warm\": true}", IN_DOUBT, null),
        new Case("{\"instances\": 01, \"warm\": true}", IN_DOUBT, null),
        new Case("[{\"warm\": true}]", IN_DOUBT, null),
        new Case("", IN_DOUBT, null));
    for (Case c : cases) {
      Path file = manifest(c.text());
      assertEquals(c.expected(), check("p.js"), c.text());
      if (c.bridgeWarm() == null) {
        assertThrows(StartupException.class, () -> bridgeReads(file), c.text());
      } else {
        assertEquals(c.bridgeWarm(), bridgeReads(file).orElse(false), c.text());
      }
    }
  }

  @Test
  void theManifestIsFoundAsTheBridgeFindsIt() throws Exception {
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/shop.plugin.json"), "{\"warm\": true}");
    Files.writeString(dir.resolve("elsewhere.json"), "{\"warm\": true}");
    Files.writeString(dir.resolve("sub/cold.plugin.json"), "{\"warm\": false}");
    assertEquals(WARM, check("sub/shop.js"));
    assertEquals(WARM, check("sub/shop.mjs", "host", "--manifest", "x.json"), "after SCRIPT, the host's");
    assertEquals(WARM, check("./sub//shop.js/"));
    assertEquals(WARM, check(dir.resolve("sub/shop.js").toString()));
    assertEquals(WARM, check("--", "sub/shop.js"));
    assertEquals(WARM, check("--manifest", "elsewhere.json", "sub/cold.js"));
    assertEquals(WARM, check("--manifest=elsewhere.json", "sub/cold.js"));
    assertEquals(COLD, check("--manifest", "sub/cold.plugin.json", "sub/shop.js"));
    assertEquals(COLD, check("sub/cold.js"));
    assertEquals(COLD, check("sub/none.js"), "a script without a manifest is served as before");
    assertEquals(IN_DOUBT, check("--manifest", "missing.json", "sub/shop.js"), "a named manifest must exist");
    assertEquals(IN_DOUBT, check("--manifest", "sub", "sub/shop.js"), "a directory is no manifest");
    Process mkfifo = new ProcessBuilder("mkfifo", dir.resolve("fifo").toString()).inheritIO().start();
    assertEquals(0, mkfifo.waitFor(), "mkfifo");
    assertEquals(IN_DOUBT, check("--manifest", "fifo", "sub/shop.js"), "a FIFO is no manifest, and must not hang");
    assertEquals(IN_DOUBT, check("--manifest", "elsewhere.json", "--manifest", "elsewhere.json", "sub/cold.js"));
    assertEquals(IN_DOUBT, check("--no-such-option", "sub/shop.js"));
    assertEquals(IN_DOUBT, check("--manifest"));
    assertEquals(COLD, check("--help"));
    assertEquals(COLD, check());
  }

  /**
   * Every option of serving, as picocli reads it (--name VALUE, --name=VALUE), is known to the client: one it did
   * not know would put every plugin launched with it in doubt, and cold.
   */
  @Test
  void everyOptionOfServingIsKnownToTheClient() throws Exception {
    Files.writeString(dir.resolve("p.plugin.json"), "{\"warm\": true}");
    var spec = Main.commandLine().getCommandSpec();
    List<OptionSpec> options = spec.options();
    assertFalse(options.isEmpty());
    for (OptionSpec option : options) {
      for (String name : option.names()) {
        if (option.usageHelp() || option.versionHelp()) {
          assertEquals(COLD, check(name, "p.js"), name);
        } else if (option.arity().max() == 0) {
          assertEquals(WARM, check(name, "p.js"), name);
        } else {
          // A value, which --manifest reads: the manifest itself.
          String value = option.longestName().equals("--manifest") ? "p.plugin.json" : "v";
          assertEquals(WARM, check(name, value, "p.js"), name);
          assertEquals(WARM, check(name + "=" + value, "p.js"), name + "=" + value);
        }
      }
    }
    assertTrue(options.stream().anyMatch(o -> o.names().length > 0 && o.longestName().equals("--manifest")));
  }
}
