package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code process.env}: only granted variables, a warning per variable not granted, never its value. */
class ProcessEnvTest {
  @RegisterExtension final ScriptsUnderTest scripts = new ScriptsUnderTest();

  private String answer(String expression, Permissions permissions) throws Exception {
    ScriptRuntime runtime = scripts.load("""
        export function Get() {
          return { value: String(%s) };
        }
        """.formatted(expression), ScriptOptions.defaults().withPermissions(permissions));
    try {
      return new String(value(call(runtime, TestProtos.GET, get("k"))), StandardCharsets.UTF_8);
    } finally {
      runtime.close();
    }
  }

  private static Permissions env(String... names) {
    return new Permissions(List.of(), List.of(names), List.of(), List.of());
  }

  @Test
  void aGrantedVariableReadsItsValueAndOthersReadAsUnset() throws Exception {
    assertEquals(System.getenv("PATH") + " undefined true false PATH " + ProcessPrelude.platform() + " object undefined",
        answer("[process.env.PATH, process.env.HOME, 'PATH' in process.env, 'HOME' in process.env,"
            + " Object.keys(process.env).join(','), process.platform, typeof process.versions,"
            + " process.versions.node].map(String).join(' ')", env("PATH", "NOT_SET_ANYWHERE_14")));
  }

  @Test
  void withoutPermissionsNothingIsVisible() throws Exception {
    assertEquals("undefined 0 {}",
        answer("[process.env.PATH, Object.keys(process.env).length, JSON.stringify(process.env)].map(String).join(' ')",
            Permissions.none()));
  }

  @Test
  void assignmentsStayInTheScript() throws Exception {
    assertEquals("production 1 undefined",
        answer("(() => { process.env.NODE_ENV = 'production'; process.env.N = 1; const a = process.env.NODE_ENV;"
            + " const n = process.env.N; delete process.env.N; return [a, n, process.env.N].map(String).join(' '); })()",
            Permissions.none()));
  }

  @Test
  void oneWarningPerVariableNamingThePermissionNeverTheValue() {
    List<String> warnings = new ArrayList<>();
    Map<String, String> environment = Map.of("SECRET", "hunter2", "API_TOKEN", "t0k");
    EnvBindings bindings = new EnvBindings(env("API_TOKEN").grantedIn("kv.plugin.json"), environment::get,
        warnings::add);
    assertEquals("t0k", bindings.get("API_TOKEN"));
    assertEquals(null, bindings.get("SECRET"));
    assertEquals(null, bindings.get("SECRET"));
    assertEquals(null, bindings.get("DEBUG"));
    assertEquals(List.of("process.env.SECRET is not granted, so the script reads it as unset: add \"SECRET\" to"
        + " permissions.env in kv.plugin.json", "process.env.DEBUG is not granted, so the script reads it as unset:"
        + " add \"DEBUG\" to permissions.env in kv.plugin.json"), warnings);
    assertEquals(List.of("API_TOKEN"), bindings.names());
    EnvBindings commandLine = new EnvBindings(new Permissions(List.of(), List.of(), List.of(), List.of(),
        Optional.empty()), environment::get, warnings::add);
    commandLine.get("SECRET");
    assertEquals("process.env.SECRET is not granted, so the script reads it as unset: run with --allow-env=SECRET",
        warnings.get(2));
  }
}
