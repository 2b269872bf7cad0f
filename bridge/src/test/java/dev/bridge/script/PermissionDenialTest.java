package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.failure;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bridge.rpc.CallFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a script is refused for want of a permission says which permission to add, in the manifest or on the command
 * line, and fails a call it escapes with PERMISSION_DENIED, not UNKNOWN.
 */
class PermissionDenialTest {
  private static final String OUTSIDE = "EACCES: permission denied (outside the plugin's files directory and the"
      + " directories granted), ";

  @RegisterExtension final ScriptsUnderTest scripts = new ScriptsUnderTest();
  @TempDir Path readOnly;
  @TempDir Path elsewhere;

  private ScriptRuntime load(String body, Permissions permissions) throws Exception {
    return scripts.load("""
        export function Get(request) {
          if (request.key === 'caught') {
            try {
              %1$s
            } catch (e) {
              return { value: e.message };
            }
          }
          %1$s
        }
        """.formatted(body), ScriptOptions.defaults().withPermissions(permissions));
  }

  private String caught(String body, Permissions permissions) throws Exception {
    return new String(value(call(load(body, permissions), TestProtos.GET, get("caught"))), StandardCharsets.UTF_8);
  }

  private Permissions readGrantedIn(String manifest) {
    Permissions granted = new Permissions(List.of(), List.of(), List.of(readOnly), List.of());
    return manifest == null ? granted : granted.grantedIn(manifest);
  }

  @Test
  void anFsRefusalNamesTheDirectoryAndThePermissionToAdd() throws Exception {
    String e = elsewhere.toString();
    String r = readOnly.toString();
    assertEquals(OUTSIDE + "open '" + e + "/alerts.log' (add \"" + e + "\" to permissions.write in kv.plugin.json)",
        caught("fs.appendFileSync('" + e + "/alerts.log', 'x');", readGrantedIn("kv.plugin.json")));
    assertEquals(OUTSIDE + "open '" + r + "/ca.pem' (add \"" + r + "\" to permissions.write in kv.plugin.json)",
        caught("fs.writeFileSync('" + r + "/ca.pem', 'x');", readGrantedIn("kv.plugin.json")));
    assertEquals(OUTSIDE + "open '" + e + "/secret' (run with --allow-read=" + e + ")",
        caught("fs.readFileSync('" + e + "/secret');", readGrantedIn(null)));
    assertEquals(OUTSIDE + "scandir '" + e + "' (run with --allow-read=" + e + ")",
        caught("fs.readdirSync('" + e + "');", Permissions.none()));
    assertEquals(List.of(), List.of(elsewhere.toFile().list()), "nothing was written");
  }

  @Test
  void aRefusedWriteFailsTheCallWithPermissionDenied() throws Exception {
    String e = elsewhere.toString();
    CallFailure failure = failure(load("fs.writeFileSync('" + e + "/x', 'x');", readGrantedIn("kv.plugin.json")),
        TestProtos.GET, get("uncaught"));
    assertEquals("PERMISSION_DENIED", failure.code());
    assertEquals(OUTSIDE + "open '" + e + "/x' (add \"" + e + "\" to permissions.write in kv.plugin.json)",
        failure.getMessage());
    // A promise's rejection too, and fs.promises.
    failure = failure(load("return fs.promises.mkdir('" + e + "/d');", Permissions.none()), TestProtos.GET,
        get("uncaught"));
    assertEquals("PERMISSION_DENIED", failure.code());
    assertEquals(OUTSIDE + "mkdir '" + e + "/d' (run with --allow-write=" + e + ")", failure.getMessage());
  }

  @Test
  void aDeniedFetchFailsTheCallWithPermissionDeniedAndOtherErrorsStayUnknown() throws Exception {
    CallFailure denied = failure(load("return fetch('https://api.example.com/x');", readGrantedIn("kv.plugin.json")),
        TestProtos.GET, get("uncaught"));
    assertEquals("PERMISSION_DENIED", denied.code());
    assertEquals("TypeError: fetch https://api.example.com/x: denied: add \"api.example.com\" to permissions.net in"
        + " kv.plugin.json", "TypeError: " + denied.getMessage());
    assertEquals("UNKNOWN", failure(load("return fetch('ftp://api.example.com/x');", Permissions.none()),
        TestProtos.GET, get("uncaught")).code());
    Files.writeString(readOnly.resolve("present"), "x");
    assertEquals("UNKNOWN", failure(load("fs.readFileSync('missing');", Permissions.none()), TestProtos.GET,
        get("uncaught")).code());
    assertEquals("UNKNOWN", failure(load("const e = new Error('mine'); e.code = 'EACCES'; throw e;",
        Permissions.none()), TestProtos.GET, get("uncaught")).code());
  }
}
