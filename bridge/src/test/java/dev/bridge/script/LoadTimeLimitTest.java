package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A script whose top-level code does not finish is stopped at the load time limit and reported. */
class LoadTimeLimitTest {
  private static final ScriptOptions QUICK_LOAD = ScriptOptions.defaults().withLoadTimeout(Duration.ofMillis(300));

  @RegisterExtension final ScriptsUnderTest scripts = new ScriptsUnderTest();

  private ScriptRuntime load(String source) throws Exception {
    return scripts.load(source, QUICK_LOAD);
  }

  @Test
  void anEndlessLoopAtTopLevelIsInterruptedAndNamesTheScript() {
    var e = assertThrows(ScriptLoadException.class, () -> load("""
        export function Get() { return {}; }
        let spins = 0;
        while (true) { spins++; }
        """));
    String message = e.getMessage();
    assertTrue(message.startsWith(scripts.main() + ": the script's top-level code did not finish within"
        + " 300 ms and was interrupted"), message);
  }

  @Test
  void aTopLevelAwaitThatSettlesInTimeLoads() throws Exception {
    ScriptRuntime runtime = load("""
        const greeting = await Promise.resolve('hi');
        export function Get() { return { value: greeting }; }
        """);
    assertArrayEquals("hi".getBytes(StandardCharsets.UTF_8), value(call(runtime, TestProtos.GET, get("k"))));
  }

  @Test
  void theLoadLimitDoesNotCarryOverToCalls() throws Exception {
    ScriptRuntime runtime = load("export function Get() { return { value: 'ok' }; }");
    Thread.sleep(QUICK_LOAD.loadTimeout().toMillis() * 2);
    assertArrayEquals("ok".getBytes(StandardCharsets.UTF_8), value(call(runtime, TestProtos.GET, get("k"))));
  }
}
