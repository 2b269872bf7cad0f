package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON modules imported by a script (Node built-ins refused: {@link NpmPackagesTest}). */
class JsonModulesTest {
  @TempDir Path dir;
  @TempDir Path files;

  private String loadError(String source) {
    return ScriptFixture.loadError(dir, files, source);
  }

  @Test
  void jsonImportWithTypeAttributeIsReadAndWatched() throws Exception {
    Path data = ScriptFixture.write(dir, "config/data.json", "{\"name\":\"from json\"}");
    try (var runtime = ScriptFixture.load(SharedEngine.ENGINE, dir, files, """
        import data from './config/data.json' with { type: 'json' };
        export function Get() { return { value: data.name }; }
        """)) {
      assertEquals("from json", new String(value(call(runtime, TestProtos.GET, get("k"))), StandardCharsets.UTF_8));
      assertTrue(runtime.moduleFiles().contains(data.toRealPath()), runtime.moduleFiles().toString());
    }
  }

  @Test
  void otherFileTypesAreStillRefused() throws Exception {
    ScriptFixture.write(dir, "notes.txt", "hello");
    String m = loadError("import t from './notes.txt' with { type: 'json' };\nexport function Get() {}");
    assertTrue(m.contains("only .js, .mjs, .cjs and .json files can be imported"), m);
  }
}
