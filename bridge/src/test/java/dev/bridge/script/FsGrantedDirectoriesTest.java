package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** fs reaching directories beyond the files directory that permissions.read and permissions.write grant. */
class FsGrantedDirectoriesTest {
  @RegisterExtension final ScriptsUnderTest scripts = new ScriptsUnderTest();
  @TempDir Path readOnly;
  @TempDir Path writable;
  @TempDir Path elsewhere;

  private String run(String body, Permissions permissions) throws Exception {
    ScriptRuntime runtime = scripts.load("""
        export function Get() {
          try {
            return { value: String((() => { %s })()) };
          } catch (e) {
            return { value: 'threw ' + e.code + ' ' + e.syscall };
          }
        }
        """.formatted(body), ScriptOptions.defaults().withPermissions(permissions));
    String result = new String(value(call(runtime, TestProtos.GET, get("k"))), StandardCharsets.UTF_8);
    runtime.close();
    return result;
  }

  @Test
  void grantedDirectoriesAreReachableByAbsolutePathAndOnlyAsGranted() throws Exception {
    Files.writeString(readOnly.resolve("ca.pem"), "cert");
    Files.writeString(elsewhere.resolve("secret"), "secret");
    Files.createSymbolicLink(writable.resolve("out"), elsewhere);
    Permissions granted = new Permissions(List.of(), List.of(), List.of(readOnly), List.of(writable));
    String r = readOnly.toString();
    String w = writable.toString();
    assertEquals("cert", run("return fs.readFileSync('" + r + "/ca.pem', 'utf8');", granted));
    assertEquals("threw EACCES open", run("fs.writeFileSync('" + r + "/ca.pem', 'x');", granted));
    assertEquals("threw EACCES rm", run("fs.rmSync('" + r + "/ca.pem');", granted));
    assertEquals("a.log|x", run("fs.mkdirSync('" + w + "/logs', { recursive: true });"
        + "fs.appendFileSync('" + w + "/logs/a.log', 'x');"
        + "return fs.readdirSync('" + w + "/logs') + '|' + fs.readFileSync('" + w + "/logs/a.log', 'utf8');", granted));
    assertEquals("x", Files.readString(writable.resolve("logs/a.log")));
    // Not granted, or granted but left through '..' or a symbolic link: refused.
    for (String path : new String[] {elsewhere + "/secret", w + "/../" + elsewhere.getFileName() + "/secret",
        w + "/out/secret"}) {
      assertEquals("threw EACCES open", run("return fs.readFileSync('" + path + "', 'utf8');", granted), path);
    }
    assertEquals("threw EPERM rm", run("fs.rmSync('" + w + "', { recursive: true });", granted));
    assertTrue(Files.isDirectory(writable));
    // Without the grant, nothing beyond the files directory.
    assertEquals("threw EACCES open", run("return fs.readFileSync('" + r + "/ca.pem', 'utf8');", Permissions.none()));
  }
}
