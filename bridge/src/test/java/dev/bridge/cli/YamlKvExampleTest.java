package dev.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.bridge.cli.CallRuns.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The yaml-kv example through {@code bridgejs call}: real npm packages from the registry, pinned by
 * examples/yaml-kv/package-lock.json and installed by tools/setup.sh ({@code npm ci}): {@code yaml} (ES modules,
 * chosen by its exports' {@code default} condition) and {@code ms} (CommonJS).
 */
class YamlKvExampleTest {
  private static final String SCRIPT = "../examples/yaml-kv/yaml-kv.js";

  @TempDir Path files;

  @BeforeAll
  static void packagesAreInstalled() {
    for (String name : new String[] {"yaml", "ms"}) {
      assertTrue(Files.isRegularFile(Path.of("../examples/yaml-kv/node_modules", name, "package.json")),
          "examples/yaml-kv/node_modules/" + name + " is missing: run tools/setup.sh (npm ci in examples/yaml-kv)");
    }
  }

  private Outcome call(String method, String request) {
    return CallRuns.call("", SCRIPT, method, "--files-dir", files.toString(), request);
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void putParsesYamlAndMsThenGetWritesYaml() throws Exception {
    Outcome put = call("Put", "{\"key\": \"session\", \"value\": \"" + base64("user: ada\nroles: [admin, dev]\nttl: 2h")
        + "\"}");
    assertEquals(new Outcome(0, "{}\n", ""), put);
    assertEquals("session:\n  user: ada\n  roles:\n    - admin\n    - dev\n  ttl: 2h\n  ttlMs: 7200000\n",
        Files.readString(files.resolve("store.yaml")));

    Outcome get = call("Get", "{\"key\": \"session\"}");
    assertEquals(0, get.exitCode(), get.stderr());
    byte[] value = Base64.getDecoder().decode((String) JSON.std.mapFrom(get.stdout()).get("value"));
    assertEquals("user: ada\nroles:\n  - admin\n  - dev\nttl: 2h\nttlMs: 7200000\n", new String(value, StandardCharsets.UTF_8));
  }

  @Test
  void aTtlMsCannotReadIsAnInvalidArgument() {
    Outcome put = call("Put", "{\"key\": \"k\", \"value\": \"" + base64("ttl: soon") + "\"}");
    assertEquals(CallCommand.EXIT_CALL_FAILED, put.exitCode());
    assertEquals("INVALID_ARGUMENT: ttl \"soon\" is not a duration (try \"90s\", \"2h\", \"1d\")", put.lastErrorLine());
  }
}
