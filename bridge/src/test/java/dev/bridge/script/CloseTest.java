package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bridge.rpc.CallFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing a runtime: in-progress calls, later calls, the JS thread. */
class CloseTest {
  @TempDir Path dir;
  @TempDir Path files;

  private static boolean jsThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().startsWith("bridge-js-") && t.getName().endsWith("close-me.mjs") && t.isAlive());
  }

  @Test
  void closeEndsTheThreadAndLaterCallsAreUnavailable() throws Exception {
    Path script = ScriptFixture.write(dir, "close-me.mjs", "export function Get() { return { value: 'x' }; }");
    ScriptRuntime runtime = ScriptRuntime.load(script, files, ConsoleSink.discard());
    call(runtime, TestProtos.GET, get("k"));
    assertTrue(jsThreadAlive());
    runtime.close();
    assertFalse(jsThreadAlive());
    var handler = runtime.handlers().find(TestProtos.GET).orElseThrow();
    var failure = ScriptFixture.failure(runtime, TestProtos.GET, get("k"));
    assertEquals("UNAVAILABLE", failure.code());
    runtime.close(); // idempotent
    assertTrue(handler != null);
  }

  @Test
  void closeFailsCallsStillPendingAfterTheGracePeriod() throws Exception {
    Path script = ScriptFixture.write(dir, "close-me.mjs", "export function Get() { return new Promise(() => {}); }");
    ScriptRuntime runtime = ScriptRuntime.load(SharedEngine.ENGINE, script, files, ConsoleSink.discard());
    var pending = ScriptFixture.handler(runtime, TestProtos.GET).unary(get("k"), ScriptFixture.context(TestProtos.GET, Map.of()))
        .toCompletableFuture();
    runtime.close(Duration.ofMillis(100));
    var e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> pending.get(5, TimeUnit.SECONDS));
    assertEquals("UNAVAILABLE", ((CallFailure) e.getCause()).code());
  }

  @Test
  void closeCancelsJavaScriptThatNeverReturns() throws Exception {
    Path script = ScriptFixture.write(dir, "close-me.mjs", "export function Get() { for (;;) {} }");
    ScriptRuntime runtime = ScriptRuntime.load(SharedEngine.ENGINE, script, files, ConsoleSink.discard());
    var pending = ScriptFixture.handler(runtime, TestProtos.GET).unary(get("k"), ScriptFixture.context(TestProtos.GET, Map.of()))
        .toCompletableFuture();
    Thread.sleep(100);
    long start = System.nanoTime();
    runtime.close(Duration.ofMillis(100));
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
    assertTrue(pending.isCompletedExceptionally());
    assertFalse(jsThreadAlive());
  }
}
