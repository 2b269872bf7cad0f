package dev.bridge.warm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InstanceLogsTest {
  private static final Logger LOG = Logger.getLogger("dev.bridge.warm.test");
  private final Logger root = LogManager.getLogManager().getLogger("");
  private Handler[] savedHandlers;
  private Level savedLevel;
  private final Lines runtime = new Lines();

  @BeforeEach
  void install() {
    savedHandlers = root.getHandlers();
    savedLevel = root.getLevel();
    InstanceLogs.install(runtime);
  }

  @AfterEach
  void restore() {
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    for (Handler handler : savedHandlers) {
      root.addHandler(handler);
    }
    root.setLevel(savedLevel);
  }

  @Test
  void eachInstancesRecordsReachItsOwnHandlerFromEveryThreadItStarts() throws InterruptedException {
    Lines first = new Lines();
    Lines second = new Lines();
    Thread a = Thread.ofPlatform().start(() -> serve(first, "a"));
    Thread b = Thread.ofPlatform().start(() -> serve(second, "b"));
    a.join();
    b.join();
    LOG.info("the runtime's own");
    assertEquals(List.of("a", "a from its JS thread"), first.messages);
    assertEquals(List.of("b", "b from its JS thread"), second.messages);
    assertEquals(List.of("a from a pool, after its end", "b from a pool, after its end", "the runtime's own"),
        runtime.messages.stream().sorted().toList());
  }

  /**
   * An instance: its serving thread opens a route, logs, and starts a thread that logs; a thread it started that
   * outlives it (a pool's) logs after it ended, which is then the runtime's.
   */
  private static void serve(Lines handler, String name) {
    CountDownLatch ended = new CountDownLatch(1);
    Thread pooled;
    try (InstanceLogs.Route route = InstanceLogs.open()) {
      InstanceLogs.route(handler);
      LOG.info(name);
      join(Thread.ofPlatform().start(() -> LOG.info(name + " from its JS thread")));
      pooled = Thread.ofPlatform().start(() -> {
        await(ended);
        LOG.info(name + " from a pool, after its end");
      });
    }
    ended.countDown();
    join(pooled);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void join(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final class Lines extends Handler {
    final List<String> messages = new CopyOnWriteArrayList<>();

    @Override
    public void publish(LogRecord record) {
      messages.add(record.getMessage());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
