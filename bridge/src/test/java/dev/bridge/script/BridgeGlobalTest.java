package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code bridge.args}: the host's arguments after SCRIPT, as a frozen array of strings. */
class BridgeGlobalTest {
  @RegisterExtension final ScriptsUnderTest scripts = new ScriptsUnderTest();

  private String answer(String expression, List<String> args) throws Exception {
    ScriptRuntime runtime = scripts.load("""
        const atLoad = bridge.args;
        export function Get() {
          return { value: String(%s) };
        }
        """.formatted(expression), ScriptOptions.defaults().withArgs(args));
    try {
      return new String(value(call(runtime, TestProtos.GET, get("k"))), StandardCharsets.UTF_8);
    } finally {
      runtime.close();
    }
  }

  @Test
  void theHostsArgumentsAreStringsInOrder() throws Exception {
    assertEquals("[\"--log-level\",\"info\",\"--features=\",\"-x\",\"\"]",
        answer("JSON.stringify(atLoad)", List.of("--log-level", "info", "--features=", "-x", "")));
    assertEquals("true true", answer("Array.isArray(bridge.args) + ' ' + (atLoad === bridge.args)", List.of("a")));
  }

  @Test
  void theyCannotBeChanged() throws Exception {
    assertEquals("true true 1 a", answer("(() => { 'use strict';"
        + " const frozen = Object.isFrozen(bridge) && Object.isFrozen(bridge.args);"
        + " let threw = false; try { bridge.args.push('b'); } catch (e) { threw = e instanceof TypeError; }"
        + " return frozen + ' ' + threw + ' ' + bridge.args.length + ' ' + bridge.args[0]; })()", List.of("a")));
  }

  @Test
  void withoutArgumentsTheArrayIsEmpty() throws Exception {
    assertEquals("[]", answer("JSON.stringify(bridge.args)", List.of()));
  }
}
