package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.context;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.MethodHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One instance serialises the script's JavaScript; more instances (the opt-in for stateless, CPU-bound
 * handlers) run calls in parallel, each instance with its own module state.
 */
class ScriptInstancesTest {
  /**
   * Get "a" and Get "b" each announce themselves with a file, then busy-wait (never yielding the
   * thread) for the other's file: they can only both finish if they run at the same time.
   */
  private static final String RENDEZVOUS = """
      let calls = 0;
      export function Get({ key }) {
        const mine = key + '-started';
        const other = (key === 'a' ? 'b' : 'a') + '-started';
        const count = ++calls;
        fs.writeFileSync(mine, 'x');
        while (!fs.existsSync(other)) {}
        return { value: key + ' ' + count };
      }
      """;

  @RegisterExtension final ScriptsUnderTest scripts = new ScriptsUnderTest();
  private ScriptPool pool;

  private ScriptPool load(String source, int instances, Duration callTimeout) throws Exception {
    pool = scripts.loadInstances(source, ScriptOptions.defaults().withCallTimeout(callTimeout), instances);
    return pool;
  }

  private CompletableFuture<DynamicMessage> callGet(String key) {
    MethodHandler handler = pool.handlers().find(TestProtos.GET).orElseThrow();
    return handler.unary(get(key), context(TestProtos.GET, Map.of())).toCompletableFuture();
  }

  private static String text(CompletableFuture<DynamicMessage> call) throws Exception {
    return new String(value(call.get(60, TimeUnit.SECONDS)), StandardCharsets.UTF_8);
  }

  @Test
  void twoInstancesRunTwoBusyCallsAtOnceEachWithItsOwnModuleState() throws Exception {
    load(RENDEZVOUS, 2, Duration.ofSeconds(30));
    var a = callGet("a");
    var b = callGet("b");
    // Each instance counted its own first call: module state is per instance.
    assertEquals("a 1", text(a));
    assertEquals("b 1", text(b));
  }

  @Test
  void oneInstanceRunsOneCallAtATime() throws Exception {
    load(RENDEZVOUS, 1, Duration.ofSeconds(1));
    var a = callGet("a");
    var b = callGet("b");
    // "a" spins until its time limit, because "b" cannot start before it ends; then "b" finds "a"'s file.
    var failure = assertThrows(ExecutionException.class, () -> a.get(60, TimeUnit.SECONDS));
    assertEquals("DEADLINE_EXCEEDED", assertInstanceOf(CallFailure.class, failure.getCause()).code());
    assertEquals("b 2", text(b));
  }

  @Test
  void idleInstancesShareSequentialCalls() throws Exception {
    load("""
        let calls = 0;
        export function Get() { return { value: String(++calls) }; }
        """, 3, Duration.ofSeconds(30));
    int total = 0;
    int highest = 0;
    for (int i = 0; i < 9; i++) {
      int count = Integer.parseInt(text(callGet("k")));
      total++;
      highest = Math.max(highest, count);
    }
    assertTrue(highest < total, "one instance took all " + total + " calls");
  }

  @Test
  void aBrokenScriptIsReportedOnceWhateverTheNumberOfInstances() {
    var e = assertThrows(ScriptLoadException.class, () -> load("export function Get( {", 4, Duration.ofSeconds(30)));
    assertTrue(e.getMessage().startsWith(scripts.main() + ":1:"), e.getMessage());
  }

  @Test
  void closingThePoolClosesEveryInstance() throws Exception {
    load("export function Get() { return { value: 'ok' }; }", 3, Duration.ofSeconds(30));
    assertEquals("ok", text(callGet("k")));
    pool.close();
    for (int i = 0; i < 3; i++) {
      var failure = assertThrows(ExecutionException.class, () -> callGet("k").get(60, TimeUnit.SECONDS));
      assertEquals("UNAVAILABLE", assertInstanceOf(CallFailure.class, failure.getCause()).code());
    }
  }

  @Test
  void theNumberOfInstancesIsChecked() {
    var zero = assertThrows(IllegalArgumentException.class, () -> load("export function Get() {}", 0, Duration.ofSeconds(1)));
    assertEquals("instances must be from 1 to 64, got 0", zero.getMessage());
    assertThrows(IllegalArgumentException.class, () -> load("export function Get() {}", 65, Duration.ofSeconds(1)));
  }
}
