package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.context;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DynamicMessage;
import dev.bridge.LogCapture;
import dev.bridge.rpc.CallFailure;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A script that grows its module state past maxHeap: the call fails with RESOURCE_EXHAUSTED naming the
 * limit, its instance is dropped and loaded again (one error line), and the next call is served with a
 * fresh module state. The limit is set a little above what this test JVM holds now, far below its own
 * maximum heap, so the watch acts before the JVM would run out.
 */
class HeapWatchTest {
  private static final String SCRIPT = """
      const state = [];
      export function Get({ key }) {
        if (key === 'grow') {
          for (;;) { state.push(new Array(100000).fill(1.5)); }
        }
        if (key === 'add') { state.push(new Array(1000).fill(1.5)); }
        if (key === 'wait') { return new Promise((resolve) => setTimeout(() => resolve({ value: 'waited' }), 200)); }
        return { value: String(state.length) };
      }
      """;

  @RegisterExtension final ScriptsUnderTest scripts = new ScriptsUnderTest();
  private HeapWatch watch;

  @AfterEach
  void stopWatching() {
    if (watch != null) {
      watch.close();
    }
  }

  private HeapLimit aLittleAboveNow() {
    System.gc();
    long live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    return HeapLimit.maxHeap(live + (64L << 20));
  }

  private static CompletableFuture<DynamicMessage> callGet(ScriptPool pool, String key) {
    return pool.handlers().find(TestProtos.GET).orElseThrow().unary(get(key), context(TestProtos.GET, Map.of()))
        .toCompletableFuture();
  }

  private static String text(CompletableFuture<DynamicMessage> call) throws Exception {
    return new String(value(call.get(30, TimeUnit.SECONDS)), StandardCharsets.UTF_8);
  }

  @Test
  void growingStatePastMaxHeapFailsTheCallAndTheNextCallGetsAFreshInstance() throws Exception {
    ScriptPool pool = scripts.loadInstances(SCRIPT, ScriptOptions.defaults(), 1);
    HeapLimit limit = aLittleAboveNow();
    watch = HeapWatch.start(limit);
    assertEquals("1", text(callGet(pool, "add")));
    try (var log = LogCapture.start("dev.bridge.script")) {
      long started = System.nanoTime();
      var e = assertThrows(ExecutionException.class, () -> callGet(pool, "grow").get(30, TimeUnit.SECONDS));
      CallFailure failure = assertInstanceOf(CallFailure.class, e.getCause());
      assertEquals("RESOURCE_EXHAUSTED", failure.code());
      assertTrue(failure.getMessage().contains("proto.KV/Get"), failure.getMessage());
      assertTrue(failure.getMessage().contains("maxHeap (manifest field \"maxHeap\" or --max-heap) of "
          + HeapLimit.format(limit.bytes())), failure.getMessage());
      assertTrue(failure.getMessage().contains("losing its module state"), failure.getMessage());
      assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 20, "took too long");
      assertEquals("0", text(callGet(pool, "count")), "the next call is served by a fresh instance");
      var errors = log.records().stream().filter(r -> r.getLevel() == Level.SEVERE).toList();
      assertEquals(1, errors.size(), () -> "one error line: " + log.records());
      assertTrue(errors.get(0).getMessage().contains("main.mjs"), errors.get(0).getMessage());
    }
  }

  @Test
  void aCallQueuedBehindTheDroppedOneIsServedByTheNewInstance() throws Exception {
    ScriptPool pool = scripts.loadInstances(SCRIPT, ScriptOptions.defaults(), 1);
    watch = HeapWatch.start(aLittleAboveNow());
    CompletableFuture<DynamicMessage> grow = callGet(pool, "grow");
    CompletableFuture<DynamicMessage> queued = callGet(pool, "count");
    var e = assertThrows(ExecutionException.class, () -> grow.get(30, TimeUnit.SECONDS));
    assertEquals("RESOURCE_EXHAUSTED", assertInstanceOf(CallFailure.class, e.getCause()).code());
    assertEquals("0", text(queued));
  }

  @Test
  void anotherInstanceKeepsItsStateAndItsCallInProgress() throws Exception {
    ScriptPool pool = scripts.loadInstances(SCRIPT, ScriptOptions.defaults(), 2);
    watch = HeapWatch.start(aLittleAboveNow());
    CompletableFuture<DynamicMessage> waiting = callGet(pool, "wait");  // one instance, busy for 200 ms
    CompletableFuture<DynamicMessage> grow = callGet(pool, "grow");      // the other, the least busy
    var e = assertThrows(ExecutionException.class, () -> grow.get(30, TimeUnit.SECONDS));
    assertEquals("RESOURCE_EXHAUSTED", assertInstanceOf(CallFailure.class, e.getCause()).code());
    assertEquals("waited", text(waiting));
  }

  @Test
  void formatsSizesAsTheyAreWritten() {
    assertEquals("64MiB", HeapLimit.format(64L << 20));
    assertEquals("1.5GiB", HeapLimit.format(3L << 29));
    assertEquals("512KiB", HeapLimit.format(512L << 10));
    assertEquals("100 bytes", HeapLimit.format(100));
  }
}
