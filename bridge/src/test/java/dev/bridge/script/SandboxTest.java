package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What scripts cannot reach: Java, the host's files, processes, the environment. */
class SandboxTest {
  @RegisterExtension final ScriptsUnderTest scripts = new ScriptsUnderTest();
  @TempDir Path outside;

  /** Evaluates an expression inside a handler; the handler answers with String(result) or the error. */
  private String evaluate(String expression) throws Exception {
    ScriptRuntime runtime = scripts.load("""
        export async function Get() {
          try {
            return { value: String(await (async () => %s)()) };
          } catch (e) {
            return { value: 'threw ' + (e && e.name) + ': ' + (e && e.message) + (e && e.code ? ' [' + e.code + ']' : '') };
          }
        }
        """.formatted(expression));
    String result = new String(value(call(runtime, TestProtos.GET, get("k"))), StandardCharsets.UTF_8);
    runtime.close();
    return result;
  }

  @Test
  void javaInteropGlobalsAreAbsent() throws Exception {
    assertEquals("undefined undefined undefined undefined undefined undefined",
        evaluate("[typeof Java, typeof Polyglot, typeof Graal, typeof Packages, typeof java, typeof load].join(' ')"));
  }

  @Test
  void javaTypeIsUnavailable() throws Exception {
    assertTrue(evaluate("Java.type('java.lang.Runtime')").startsWith("threw ReferenceError"));
  }

  @Test
  void requireIsAbsentAndProcessShowsNoEnvironmentUngranted() throws Exception {
    assertEquals("undefined undefined 0 undefined undefined", evaluate("[typeof require, typeof Deno,"
        + " Object.keys(process.env).length, String(process.env.PATH), typeof process.exit].join(' ')"));
  }

  @Test
  void theFunctionConstructorGivesNoWayToJava() throws Exception {
    assertEquals("undefined", evaluate("typeof fs.readFileSync.constructor.constructor('return this')().Java"));
  }

  @Test
  void dynamicImportOfAFileOutsideTheScriptDirectoryFails() throws Exception {
    Files.writeString(outside.resolve("evil.mjs"), "export const x = 1;");
    String result = evaluate("import('" + outside.resolve("evil.mjs") + "').then(m => m.x)");
    assertTrue(result.startsWith("threw"), result);
  }

  @Test
  void dynamicImportOfANonModuleFileFails() throws Exception {
    Files.writeString(scripts.dir().resolve("data.txt"), "secret");
    String result = evaluate("import('./data.txt')");
    assertTrue(result.startsWith("threw"), result);
  }

  @Test
  void fsRefusesPathsOutsideTheFilesRoot() throws Exception {
    Files.writeString(outside.resolve("secret"), "secret");
    String relativeOut = scripts.files().relativize(outside.resolve("secret")).toString();
    for (String path : new String[] {"../../etc/passwd", "/etc/passwd", relativeOut, outside.resolve("secret").toString(),
        "a/../../x"}) {
      String read = evaluate("fs.readFileSync('" + path + "', 'utf8')");
      assertTrue(read.startsWith("threw Error: EACCES: permission denied (outside the plugin's files directory and the"
          + " directories granted), open '" + path + "' (run with --allow-read=/"), read);
      assertTrue(read.endsWith(") [EACCES]"), read);
      assertTrue(evaluate("fs.writeFileSync('" + path + "', 'x')").contains("EACCES"), path);
      assertTrue(evaluate("fs.existsSync('" + path + "')").contains("EACCES"), path);
      assertTrue(evaluate("fs.unlinkSync('" + path + "')").contains("EACCES"), path);
    }
    assertEquals("secret", Files.readString(outside.resolve("secret")));
  }

  @Test
  void fsRefusesSymbolicLinksLeadingOutOfTheFilesRoot() throws Exception {
    Files.writeString(outside.resolve("secret"), "secret");
    Files.createSymbolicLink(scripts.files().resolve("link"), outside.resolve("secret"));
    Files.createSymbolicLink(scripts.files().resolve("dirlink"), outside);
    assertTrue(evaluate("fs.readFileSync('link', 'utf8')").contains("EACCES"));
    assertTrue(evaluate("fs.writeFileSync('link', 'overwritten')").contains("EACCES"));
    assertTrue(evaluate("fs.readFileSync('dirlink/secret', 'utf8')").contains("EACCES"));
    assertTrue(evaluate("fs.writeFileSync('dirlink/new', 'x')").contains("EACCES"));
    assertEquals("secret", Files.readString(outside.resolve("secret")));
    assertTrue(Files.notExists(outside.resolve("new")));
    // Removing the link itself stays inside the root.
    assertEquals("undefined", evaluate("fs.unlinkSync('link')"));
    assertTrue(Files.exists(outside.resolve("secret")));
  }

  @Test
  void nodeBuiltinModulesAndHostFilesCannotBeImported() throws Exception {
    for (String specifier : new String[] {"fs", "node:fs", "child_process", "/etc/passwd", "file:///etc/hostname"}) {
      String result = evaluate("import('" + specifier + "').then(() => 'imported')");
      assertTrue(result.startsWith("threw"), specifier + ": " + result);
    }
  }

  @Test
  void importsThroughSymbolicLinksOutOfTheScriptDirectoryFail() throws Exception {
    Files.writeString(outside.resolve("evil.mjs"), "export const x = 1;");
    Files.createSymbolicLink(scripts.dir().resolve("evil.mjs"), outside.resolve("evil.mjs"));
    String result = evaluate("import('./evil.mjs').then(m => m.x)");
    assertTrue(result.startsWith("threw"), result);
  }

  @Test
  void noThreadsOrWorkers() throws Exception {
    assertEquals("undefined", evaluate("typeof Worker"));
  }

  @Test
  void scriptsCannotLoadFromTheHostAtModuleLevel() {
    var failure = assertThrows(ScriptLoadException.class, () -> scripts.load(
        "import x from '" + outside.resolve("nope.mjs") + "';\nexport function Get() {}"));
    assertTrue(failure.getMessage().contains("main.mjs"), failure.getMessage());
  }
}
