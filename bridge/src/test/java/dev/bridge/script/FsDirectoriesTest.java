package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** fs append, directories, stat, rename, rm and fs.promises, all confined to the files root. */
class FsDirectoriesTest {
  @RegisterExtension final ScriptsUnderTest scripts = new ScriptsUnderTest();
  @TempDir Path outside;

  private String run(String body) throws Exception {
    ScriptRuntime runtime = scripts.load("""
        export async function Get() {
          try {
            return { value: String(await (async () => { %s })()) };
          } catch (e) {
            return { value: 'threw ' + e.code + ' ' + e.syscall + ' ' + e.path };
          }
        }
        """.formatted(body));
    String result = new String(value(call(runtime, TestProtos.GET, get("k"))), StandardCharsets.UTF_8);
    runtime.close();
    return result;
  }

  @Test
  void appendsListsMakesStatsRenamesAndRemoves() throws Exception {
    assertEquals("a,b|log.txt,sub|one\ntwo\n|8 true false true|er,new.txt", run("""
        fs.mkdirSync('sub/deep/er', { recursive: true });
        fs.mkdirSync('sub/b');
        fs.writeFileSync('sub/a', '');
        const listed = fs.readdirSync('sub').filter(n => n !== 'deep').join(',');
        fs.appendFileSync('log.txt', 'one\\n');
        fs.appendFileSync('log.txt', new TextEncoder().encode('two\\n'));
        const top = fs.readdirSync('.').join(',');
        const s = fs.statSync('log.txt');
        const stat = [s.size, s.isFile(), s.isDirectory(), fs.statSync('sub').isDirectory()].join(' ');
        fs.writeFileSync('old.txt', 'x');
        fs.renameSync('old.txt', 'sub/deep/new.txt');
        const moved = fs.readdirSync('sub/deep').join(',');
        fs.rmSync('sub', { recursive: true });
        return [listed, top, fs.readFileSync('log.txt', 'utf8'), stat, moved].join('|');
        """));
    assertFalse(Files.exists(scripts.files().resolve("sub")));
  }

  @Test
  void promiseVersionsResolveWithTheSameResults() throws Exception {
    assertEquals("x,y|2|ok", run("""
        await fs.promises.mkdir('d', { recursive: true });
        await fs.promises.writeFile('d/x', 'hi');
        await fs.promises.appendFile('d/y', 'a');
        const names = (await fs.promises.readdir('d')).join(',');
        const size = (await fs.promises.stat('d/x')).size;
        await fs.promises.rename('d/y', 'd/z');
        await fs.promises.rm('d', { recursive: true });
        const missing = await fs.promises.stat('d').then(() => 'exists', e => e.code === 'ENOENT' ? 'ok' : e.code);
        return [names, size, missing].join('|');
        """));
  }

  @Test
  void errorsCarryNodeCodes() throws Exception {
    assertEquals("threw ENOENT stat nope", run("return fs.statSync('nope');"));
    assertEquals("threw ERR_FS_EISDIR rm d", run("fs.mkdirSync('d'); fs.rmSync('d');"));
    assertEquals("undefined", run("return fs.rmSync('gone', { force: true });"));
    assertEquals("threw EEXIST mkdir e", run("fs.mkdirSync('e'); fs.mkdirSync('e');"));
  }

  @Test
  void escapesAreRefused() throws Exception {
    Files.writeString(outside.resolve("secret"), "secret");
    Files.createDirectory(outside.resolve("dir"));
    Files.createSymbolicLink(scripts.files().resolve("out"), outside);
    for (String body : new String[] {"fs.readdirSync('..')", "fs.readdirSync('out')", "fs.mkdirSync('../x')",
        "fs.mkdirSync('out/y', { recursive: true })", "fs.statSync('out/secret')", "fs.appendFileSync('out/secret', 'x')",
        "fs.renameSync('out/secret', 'mine')", "fs.rmSync('out/dir', { recursive: true })", "fs.rmSync('..', { recursive: true })",
        "fs.rmSync('.', { recursive: true })"}) {
      String result = run(body + "; return 'done';");
      assertTrue(result.startsWith("threw EACCES") || result.startsWith("threw EPERM"), body + ": " + result);
    }
    // Removing the link itself, recursively, removes the link, not what it points to.
    assertEquals("done", run("fs.rmSync('out', { recursive: true }); return 'done';"));
    assertEquals("secret", Files.readString(outside.resolve("secret")));
    assertTrue(Files.isDirectory(outside.resolve("dir")));
  }
}
