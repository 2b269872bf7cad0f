package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Node-like {@code fs} global, confined to the files root. */
class FsGlobalTest {
  @RegisterExtension final ScriptsUnderTest scripts = new ScriptsUnderTest();

  private String run(String body) throws Exception {
    ScriptRuntime runtime = scripts.load("""
        export function Get() {
          try {
            return { value: String((() => { %s })()) };
          } catch (e) {
            return { value: 'threw ' + e.name + ' ' + e.code + ' ' + e.syscall + ' ' + e.path + ': ' + e.message };
          }
        }
        """.formatted(body));
    String result = new String(value(call(runtime, TestProtos.GET, get("k"))), StandardCharsets.UTF_8);
    runtime.close();
    return result;
  }

  @Test
  void readsBytesByDefaultAndTextWithUtf8() throws Exception {
    Files.write(scripts.files().resolve("data"), new byte[] {(byte) 0xc3, (byte) 0xa9, 0, (byte) 0xff});
    assertEquals("true 4 195,169,0,255", run(
        "const b = fs.readFileSync('data'); return (b instanceof Uint8Array) + ' ' + b.length + ' ' + Array.from(b);"));
    Files.writeString(scripts.files().resolve("text"), "héllo");
    assertEquals("héllo héllo héllo", run("return [fs.readFileSync('text', 'utf8'), fs.readFileSync('text', 'utf-8'),"
        + " fs.readFileSync('text', { encoding: 'utf8' })].join(' ');"));
  }

  @Test
  void writesStringsAsUtf8AndBinaryDataAsIs() throws Exception {
    run("fs.writeFileSync('s', 'héllo');"
        + "fs.writeFileSync('u8', new Uint8Array([0, 255]));"
        + "fs.writeFileSync('ab', new Uint8Array([1, 2, 3]).buffer);"
        + "fs.writeFileSync('view', new Uint8Array([9, 8, 7, 6]).subarray(1, 3));"
        + "fs.writeFileSync('i16', new Int16Array([-1]));"
        + "fs.writeFileSync('dv', new DataView(new Uint8Array([5, 6, 7]).buffer, 2));"
        + "fs.writeFileSync('sub/../s2', 'x');");
    assertEquals("héllo", Files.readString(scripts.files().resolve("s")));
    assertArrayEquals(new byte[] {0, (byte) 255}, Files.readAllBytes(scripts.files().resolve("u8")));
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(scripts.files().resolve("ab")));
    assertArrayEquals(new byte[] {8, 7}, Files.readAllBytes(scripts.files().resolve("view")));
    assertArrayEquals(new byte[] {-1, -1}, Files.readAllBytes(scripts.files().resolve("i16")));
    assertArrayEquals(new byte[] {7}, Files.readAllBytes(scripts.files().resolve("dv")));
    assertEquals("x", Files.readString(scripts.files().resolve("s2")));
  }

  @Test
  void existsAndUnlink() throws Exception {
    Files.writeString(scripts.files().resolve("there"), "x");
    assertEquals("true false false", run(
        "const before = fs.existsSync('there'); fs.unlinkSync('there');"
            + "return [before, fs.existsSync('there'), fs.existsSync('never')].join(' ');"));
    assertTrue(Files.notExists(scripts.files().resolve("there")));
  }

  @Test
  void missingFilesThrowNodeLikeEnoent() throws Exception {
    assertEquals("threw Error ENOENT open nope: ENOENT: no such file or directory, open 'nope'",
        run("return fs.readFileSync('nope');"));
    assertEquals("threw Error ENOENT unlink nope: ENOENT: no such file or directory, unlink 'nope'",
        run("fs.unlinkSync('nope');"));
    assertEquals("threw Error ENOENT open no/dir/f: ENOENT: no such file or directory, open 'no/dir/f'",
        run("fs.writeFileSync('no/dir/f', 'x');"));
  }

  @Test
  void directoriesAreNotFiles() throws Exception {
    Files.createDirectory(scripts.files().resolve("d"));
    assertTrue(run("return fs.readFileSync('d');").startsWith("threw Error EISDIR"));
    assertTrue(run("fs.unlinkSync('d');").startsWith("threw Error EISDIR"));
  }

  @Test
  void badArgumentsAreTypeErrors() throws Exception {
    assertTrue(run("fs.readFileSync(42);").startsWith("threw TypeError ERR_INVALID_ARG_TYPE"));
    assertTrue(run("fs.writeFileSync('x', { a: 1 });").startsWith("threw TypeError ERR_INVALID_ARG_TYPE"));
    assertTrue(run("fs.readFileSync('x', 'latin1');").startsWith("threw TypeError ERR_INVALID_ARG_VALUE"));
  }

  @Test
  void fsIsFrozen() throws Exception {
    assertEquals("true", run("return Object.isFrozen(fs);"));
  }
}
