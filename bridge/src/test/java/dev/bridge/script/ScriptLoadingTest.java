package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading a script: what it exports, and the messages users see when it cannot be loaded. */
class ScriptLoadingTest {
  private static final Logger LOG = Logger.getLogger(ScriptLoadingTest.class.getName());
  @TempDir Path dir;
  @TempDir Path files;

  private ScriptLoadException loadFails(String source) {
    ScriptLoadException e = assertThrows(ScriptLoadException.class,
        () -> ScriptFixture.load(SharedEngine.ENGINE, dir, files, source).close());
    LOG.info(e.getMessage());
    return e;
  }

  @Test
  void missingScriptFileIsNamed() {
    Path missing = dir.resolve("nope/plugin.mjs");
    var e = assertThrows(ScriptLoadException.class,
        () -> ScriptRuntime.load(SharedEngine.ENGINE, missing, files, ConsoleSink.discard()));
    assertEquals("script file not found: " + missing, e.getMessage());
  }

  @Test
  void missingFilesDirectoryIsNamed() throws Exception {
    Path script = ScriptFixture.write(dir, "main.mjs", "export function Get() {}");
    var e = assertThrows(ScriptLoadException.class,
        () -> ScriptRuntime.load(SharedEngine.ENGINE, script, files.resolve("gone"), ConsoleSink.discard()));
    assertTrue(e.getMessage().contains(files.resolve("gone").toString()), e.getMessage());
  }

  @Test
  void syntaxErrorNamesFileLineAndColumnAndShowsTheLine() {
    var e = loadFails("""
        export function Get() {
          return { value: 'x' };
        }
        export function Put() { const x = ; }
        """);
    String message = e.getMessage();
    assertTrue(message.startsWith(dir.resolve("main.mjs") + ":4:35: syntax error: SyntaxError: "), message);
    assertTrue(message.contains("\n    export function Put() { const x = ; }\n"
        + "                                      ^"), message);
  }

  @Test
  void exceptionAtModuleEvaluationNamesItsLocation() {
    var e = loadFails("""
        const config = JSON.parse('{"port": 1}');
        if (!config.name) {
          throw new Error('config.name is required');
        }
        export function Get() {}
        """);
    String message = e.getMessage();
    assertTrue(message.startsWith(dir.resolve("main.mjs") + ":3:"), message);
    assertTrue(message.contains("Error: config.name is required"), message);
    assertTrue(message.contains("throw new Error('config.name is required');"), message);
  }

  @Test
  void missingImportIsReported() {
    var e = loadFails("import { x } from './missing.mjs';\nexport function Get() {}");
    assertTrue(e.getMessage().contains("missing.mjs"), e.getMessage());
  }

  @Test
  void aMissingNamedExportIsReportedAtTheImportThatNamesIt() throws Exception {
    ScriptFixture.write(dir, "kv.js", "export const store = new Map();\n");
    var e = loadFails("""
        // @ts-check
        /** A comment before the imports. */
        import { store } from './kv.js';
        import {
          store as again,
          missing } from './kv.js';
        export function Get() {}
        """);
    String message = e.getMessage();
    assertTrue(message.startsWith(dir.resolve("main.mjs") + ":6:3: "), message);
    assertTrue(message.contains("missing"), message);
    assertTrue(message.contains("kv.js"), message);
    assertTrue(message.contains("\n      missing } from './kv.js';\n      ^"), message);
  }

  @Test
  void relativeImportsBetweenThePluginsOwnFilesWork() throws Exception {
    ScriptFixture.write(dir, "lib/format.mjs", "import { prefix } from '../prefix.js';\n"
        + "export const format = (k) => prefix + k;");
    ScriptFixture.write(dir, "prefix.js", "export const prefix = 'value of ';");
    try (var runtime = ScriptFixture.load(SharedEngine.ENGINE, dir, files, """
        import { format } from './lib/format.mjs';
        export function Get(request) { return { value: format(request.key) }; }
        """)) {
      assertEquals("value of k", new String(value(call(runtime, TestProtos.GET, get("k"))), StandardCharsets.UTF_8));
    }
  }

  @Test
  void exportedFunctionsAreListedButOtherExportsAreNot() throws Exception {
    try (var runtime = ScriptFixture.load(SharedEngine.ENGINE, dir, files, """
        export function Get() {}
        export async function Put() {}
        export const Helper = () => 1;
        export const VERSION = '1.0';
        """)) {
      assertEquals(Set.of("Get", "Put", "Helper"), runtime.exportedFunctions());
    }
  }

  @Test
  void topLevelAwaitCompletesBeforeCallsAreServed() throws Exception {
    try (var runtime = ScriptFixture.load(SharedEngine.ENGINE, dir, files, """
        const greeting = await Promise.resolve().then(() => 'awaited');
        export function Get() { return { value: greeting }; }
        """)) {
      assertEquals(Set.of("Get"), runtime.exportedFunctions());
      assertEquals("awaited", new String(value(call(runtime, TestProtos.GET, get("k"))), StandardCharsets.UTF_8));
    }
  }

  @Test
  void rejectedTopLevelAwaitIsALoadError() {
    var e = loadFails("await Promise.reject(new Error('no config'));\nexport function Get() {}");
    assertTrue(e.getMessage().contains("no config"), e.getMessage());
  }

  @Test
  void textEncodingIsAvailable() throws Exception {
    try (var runtime = ScriptFixture.load(SharedEngine.ENGINE, dir, files, """
        export function Get(request) {
          const bytes = new TextEncoder().encode(request.key);
          return { value: new TextDecoder('utf-8').decode(bytes) + ' ' + bytes.length };
        }
        """)) {
      assertEquals("héllo 6", new String(value(call(runtime, TestProtos.GET, get("héllo"))), StandardCharsets.UTF_8));
    }
  }
}
