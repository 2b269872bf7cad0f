package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One module state shared by all calls, from however many threads, without lost updates. */
class ConcurrentCallsTest {
  private static final int THREADS = 8;
  private static final int CALLS_PER_THREAD = 50;

  @TempDir Path dir;
  @TempDir Path files;
  private ScriptRuntime runtime;
  private ExecutorService pool;

  @BeforeEach
  void load() throws Exception {
    runtime = ScriptFixture.load(SharedEngine.ENGINE, dir, files, """
        let counter = 0;
        export async function Get(request) {
          if (request.key === 'count') {
            const seen = counter;
            await null;              // another call may interleave only at awaits
            counter = seen + 1;
            return { value: String(counter) };
          }
          return { value: 'echo:' + request.key };
        }
        export function Put() { counter++; }
        """);
    pool = Executors.newFixedThreadPool(THREADS);
  }

  @AfterEach
  void close() throws Exception {
    pool.shutdownNow();
    pool.awaitTermination(10, TimeUnit.SECONDS);
    runtime.close();
  }

  private String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void moduleStateIsSharedAcrossCalls() throws Exception {
    assertEquals("1", text(value(call(runtime, TestProtos.GET, get("count")))));
    assertEquals("2", text(value(call(runtime, TestProtos.GET, get("count")))));
    call(runtime, TestProtos.PUT, ScriptFixture.put("x", new byte[0]));
    assertEquals("4", text(value(call(runtime, TestProtos.GET, get("count")))));
  }

  @Test
  void counterIncrementedFromManyThreadsLosesNoUpdates() throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      workers.add(pool.submit(() -> {
        start.await();
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS_PER_THREAD; i++) {
          calls.add(ScriptFixture.handler(runtime, TestProtos.PUT)
              .unary(ScriptFixture.put("k", new byte[0]), ScriptFixture.context(TestProtos.PUT, java.util.Map.of()))
              .toCompletableFuture());
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        return null;
      }));
    }
    start.countDown();
    for (Future<?> worker : workers) {
      worker.get(60, TimeUnit.SECONDS);
    }
    assertEquals(String.valueOf(THREADS * CALLS_PER_THREAD + 1), text(value(call(runtime, TestProtos.GET, get("count")))));
  }

  @Test
  void callsFromEightThreadsAllGetTheirOwnAnswers() throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      workers.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < CALLS_PER_THREAD; i++) {
          String key = "t" + thread + "-" + i;
          assertEquals("echo:" + key, text(value(call(runtime, TestProtos.GET, get(key)))));
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> worker : workers) {
      worker.get(60, TimeUnit.SECONDS);
    }
  }
}
