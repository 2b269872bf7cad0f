package dev.bridge.script;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one thread on which all JavaScript of one script context runs, like Node's event loop: tasks
 * are queued from any thread and run one after the other. A GraalJS context is single-threaded, so
 * nothing else may touch the context or its values.
 */
final class JsThread {
  private static final Logger LOG = Logger.getLogger("dev.bridge.script");

  private final ExecutorService executor;
  private volatile Thread thread;
  /** Told of an {@link OutOfMemoryError} a task let through, so that its instance is dropped (not just logged). */
  private volatile Consumer<OutOfMemoryError> outOfMemory;

  JsThread(String name) {
    this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
        runnable -> {
          Thread t = new Thread(runnable, name);
          t.setDaemon(true);
          thread = t;
          return t;
        });
  }

  /** Queues a task; throws {@link RejectedExecutionException} once shut down. */
  void execute(Runnable task) {
    executor.execute(() -> {
      try {
        task.run();
      } catch (OutOfMemoryError e) {
        Consumer<OutOfMemoryError> handler = outOfMemory;
        if (handler == null) {
          throw e;  // nothing can recover this instance: the process's handler ends the plugin (HeapWatch)
        }
        handler.accept(e);
      } catch (Throwable t) {
        LOG.log(Level.SEVERE, "uncaught error on the JavaScript thread", t);
      }
    });
  }

  /** Who recovers from an {@link OutOfMemoryError} on this thread (the runtime, by being dropped). */
  void onOutOfMemory(Consumer<OutOfMemoryError> handler) {
    this.outOfMemory = handler;
  }

  /** The bytes this thread allocated since it started: the JavaScript of one instance allocates on it alone. */
  long allocatedBytes() {
    Thread t = thread;
    if (t == null || !(ManagementFactory.getThreadMXBean()
        instanceof com.sun.management.ThreadMXBean threads)) {
      return 0;
    }
    long bytes = threads.getThreadAllocatedBytes(t.threadId());
    return Math.max(0, bytes);
  }

  /** Runs a task on the JS thread and returns its result; the caller waits (never call from the JS thread). */
  <T> T call(Supplier<T> task) throws Throwable {
    if (isCurrent()) {
      return task.get();
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    executor.execute(() -> {
      try {
        result.complete(task.get());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    });
    try {
      return result.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause();
    }
  }

  boolean isCurrent() {
    return Thread.currentThread() == thread;
  }

  /** Refuses new tasks; queued tasks still run. */
  void shutdown() {
    executor.shutdown();
  }

  /** Refuses new tasks and drops the queued ones; the running one goes on until it ends. */
  void shutdownNow() {
    executor.shutdownNow();
  }

  /** Waits until the queue is done and the thread has ended. */
  boolean awaitTermination(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    if (!executor.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
      return false;
    }
    Thread t = thread;
    if (t != null) {
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      return !t.isAlive();
    }
    return true;
  }
}
