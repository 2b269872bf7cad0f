package dev.bridge.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlinesTest {
  /** Counts what is scheduled on it: each schedule may wake its thread. */
  private static final class CountingExecutor extends ScheduledThreadPoolExecutor {
    final AtomicInteger scheduled = new AtomicInteger();

    CountingExecutor() {
      super(1);
      setRemoveOnCancelPolicy(true);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      scheduled.incrementAndGet();
      return super.schedule(command, delay, unit);
    }
  }

  private final CountingExecutor executor = new CountingExecutor();
  private final Deadlines deadlines = new Deadlines(executor, action -> Thread.ofVirtual().start(action));

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void firesWhenDue() throws InterruptedException {
    CountDownLatch fired = new CountDownLatch(1);
    long start = System.nanoTime();
    deadlines.after(Duration.ofMillis(50), fired::countDown);
    assertTrue(fired.await(5, TimeUnit.SECONDS));
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50), "fired early");
    assertEquals(0, deadlines.pending());
  }

  @Test
  void aLiftedLimitNeverFires() throws InterruptedException {
    AtomicInteger fired = new AtomicInteger();
    deadlines.after(Duration.ofMillis(30), fired::incrementAndGet).lift();
    CountDownLatch later = new CountDownLatch(1);
    deadlines.after(Duration.ofMillis(80), later::countDown);
    assertTrue(later.await(5, TimeUnit.SECONDS));
    assertEquals(0, fired.get());
  }

  @Test
  void limitsLaterThanTheArmedOneScheduleNothing() {
    deadlines.after(Duration.ofSeconds(30), () -> {});
    int before = executor.scheduled.get();
    for (int i = 0; i < 10_000; i++) {
      deadlines.after(Duration.ofSeconds(30), () -> {}).lift();
    }
    assertEquals(before, executor.scheduled.get(), "a call's limit, set and lifted, scheduled on the executor");
    assertEquals(1, deadlines.pending());
  }

  @Test
  void aSoonerLimitIsNotHeldUpByALaterOne() throws InterruptedException {
    AtomicInteger late = new AtomicInteger();
    deadlines.after(Duration.ofSeconds(30), late::incrementAndGet);
    CountDownLatch soon = new CountDownLatch(1);
    long start = System.nanoTime();
    deadlines.after(Duration.ofMillis(20), soon::countDown);
    assertTrue(soon.await(5, TimeUnit.SECONDS));
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    assertEquals(0, late.get());
    assertEquals(1, deadlines.pending());
  }

  @Test
  void whatIsLeftAfterAFiringStillFires() throws InterruptedException {
    // The armed limit is lifted: its task finds nothing due and must wait again for the next one.
    Deadlines.Limit first = deadlines.after(Duration.ofMillis(20), () -> {});
    CountDownLatch second = new CountDownLatch(1);
    deadlines.after(Duration.ofMillis(120), second::countDown);
    first.lift();
    assertTrue(second.await(5, TimeUnit.SECONDS));
    assertFalse(deadlines.pending() > 0);
  }

  @Test
  void manyThreadsSettingAndLiftingLoseNoLimit() throws InterruptedException {
    int threads = 4;
    int each = 2_000;
    CountDownLatch fired = new CountDownLatch(threads);
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      workers[t] = Thread.ofPlatform().start(() -> {
        for (int i = 0; i < each; i++) {
          deadlines.after(Duration.ofMillis(1 + i % 5), () -> {}).lift();
        }
        deadlines.after(Duration.ofMillis(10), fired::countDown);
      });
    }
    for (Thread worker : workers) {
      worker.join();
    }
    assertTrue(fired.await(5, TimeUnit.SECONDS), "a limit set among lifted ones did not fire");
  }
}
