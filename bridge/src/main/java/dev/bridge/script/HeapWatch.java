package dev.bridge.script;

import dev.bridge.rpc.CallFailure;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.Logger;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;

/**
 * Keeps the plugin's live Java heap under its {@link HeapLimit} (maxHeap): the JVM's heap is set when the
 * launcher starts it, before the manifest is read, so the bridge watches the heap itself.
 *
 * <p>How: the old generation's usage threshold is set at the limit. The serial collector the launcher uses
 * grows the old generation without full collections, so usage after a collection would only be known near
 * the JVM's own maximum; the threshold instead says when the old generation (live objects and garbage)
 * crosses the limit, and the watch then collects fully ({@link System#gc()}) to see what is live. Over the
 * limit, the script instance whose JavaScript thread allocated the most since the last look is dropped
 * and loaded again ({@link InstanceSlot#dropAndReload}); if the heap is still over the limit once every
 * instance was dropped, the heap is not the scripts', and the plugin exits with one error line, so that
 * its host sees it exit instead of a plugin failing slowly. At most one look per second.
 *
 * <p>A real {@link OutOfMemoryError} is handled apart: on a JavaScript thread its instance is dropped and
 * loaded again ({@link ScriptRuntime}); on any other thread, once uncaught, the plugin exits at once with
 * one error line ({@link #exitOnUncaughtOutOfMemory}).
 */
public final class HeapWatch implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger("dev.bridge.script");
  private static final Set<ScriptPool> POOLS = ConcurrentHashMap.newKeySet();
  private static volatile HeapWatch installed;
  /** Between two looks: each is a full collection, which stops every thread. */
  private static final long MIN_INTERVAL_NANOS = 1_000_000_000L;

  private final HeapLimit limit;
  private final MemoryPoolMXBean oldGeneration;
  private final NotificationListener listener;
  private final AtomicBoolean queued = new AtomicBoolean();
  private final Thread watcher;
  private final Object wake = new Object();
  private volatile boolean closed;
  private long lastLook;

  private HeapWatch(HeapLimit limit, MemoryPoolMXBean oldGeneration) {
    this.limit = limit;
    this.oldGeneration = oldGeneration;
    this.listener = this::notified;
    this.watcher = Thread.ofPlatform().daemon().name("bridge-heap-watch").unstarted(this::watch);
  }

  /**
   * Watches the heap at {@code wanted}, or lower when the JVM's own maximum heap does not leave room for
   * it: the limit then becomes 90% of the old generation's maximum, named as the JVM's ({@link #limit()}
   * says which). One watch at a time; close it to stop.
   */
  public static HeapWatch start(HeapLimit wanted) {
    MemoryPoolMXBean old = oldGeneration();
    HeapLimit limit = wanted;
    long oldMax = old.getUsage().getMax();
    if (oldMax > 0 && wanted.bytes() > oldMax / 10 * 9) {
      limit = new HeapLimit(oldMax / 10 * 9, "the JVM's maximum heap ("
          + HeapLimit.format(Runtime.getRuntime().maxMemory()) + ", lower than " + wanted.setting() + ")");
    }
    HeapWatch watch = new HeapWatch(limit, old);
    synchronized (HeapWatch.class) {
      if (installed != null) {
        throw new IllegalStateException("the heap is already watched");
      }
      installed = watch;
    }
    old.setUsageThreshold(limit.bytes());
    ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).addNotificationListener(watch.listener, null, null);
    watch.watcher.start();
    return watch;
  }

  /** The limit the heap is watched at, or null when it is not watched (maxHeap "jvm"). */
  public static HeapLimit limit() {
    HeapWatch watch = installed;
    return watch == null ? null : watch.limit;
  }

  /** The limit this watch keeps. */
  public HeapLimit heapLimit() {
    return limit;
  }

  private static MemoryPoolMXBean oldGeneration() {
    // The old generation is the heap pool with a usage threshold (eden and survivor spaces have none).
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.isUsageThresholdSupported()) {
        return pool;
      }
    }
    throw new IllegalStateException("this JVM's collector has no heap pool with a usage threshold: "
        + ManagementFactory.getMemoryPoolMXBeans().stream().map(MemoryPoolMXBean::getName).toList());
  }

  static void register(ScriptPool pool) {
    POOLS.add(pool);
  }

  static void unregister(ScriptPool pool) {
    POOLS.remove(pool);
  }

  private void notified(Notification notification, Object handback) {
    if (MemoryNotificationInfo.MEMORY_THRESHOLD_EXCEEDED.equals(notification.getType())) {
      lookSoon();
    }
  }

  /** Asks for a look at the heap (any thread). */
  void lookSoon() {
    if (queued.compareAndSet(false, true)) {
      synchronized (wake) {
        wake.notifyAll();
      }
    }
  }

  private void watch() {
    while (!closed) {
      try {
        synchronized (wake) {
          while (!queued.get() && !closed) {
            wake.wait();
          }
        }
        long wait = lastLook + MIN_INTERVAL_NANOS - System.nanoTime();
        if (lastLook != 0 && wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        queued.set(false);
        if (!closed) {
          look();
        }
        lastLook = System.nanoTime();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Collects fully, and drops instances while the live heap is over the limit. */
  private void look() {
    long live = liveAfterFullCollection();
    // Weakly: a dropped instance's heap is freed only once nothing refers to it, this set included.
    Set<ScriptRuntime> dropped = java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>());
    while (live > limit.bytes()) {
      if (!dropOne(dropped, live)) {
        exit("the plugin's live Java heap is " + HeapLimit.format(live) + " with its script instances dropped, still"
            + " over its " + limit.setting() + ", so the plugin exits");
        return;
      }
      live = liveAfterFullCollection();
    }
    remark();
  }

  /**
   * Drops the instance whose JavaScript allocated the most since the last look, among those not dropped
   * yet in this look; false if there is none. Holds no instance once it returns.
   */
  private boolean dropOne(Set<ScriptRuntime> dropped, long live) {
    InstanceSlot chosenSlot = null;
    ScriptRuntime chosen = null;
    long most = Long.MIN_VALUE;
    for (ScriptPool pool : POOLS) {
      for (InstanceSlot slot : pool.slots()) {
        ScriptRuntime runtime = slot.runtime();
        if (slot.isReloading() || runtime.exhausted() || dropped.contains(runtime)) {
          continue;
        }
        long allocated = runtime.allocatedBytes() - runtime.allocationMark;
        if (allocated > most) {
          most = allocated;
          chosen = runtime;
          chosenSlot = slot;
        }
      }
    }
    if (chosen == null) {
      return false;
    }
    dropped.add(chosen);
    String name = chosen.script().getFileName().toString();
    String liveText = HeapLimit.format(live);
    chosenSlot.dropAndReload(chosen, call -> new CallFailure("RESOURCE_EXHAUSTED", call
        + ": the plugin's live Java heap reached " + liveText + ", over its " + limit.setting() + ", and the "
        + name + " instance serving this call was dropped and loaded again, losing its module state"),
        "the plugin's live Java heap reached " + liveText + ", over its " + limit.setting()
            + ": dropped the instance of " + name + " that allocated the most");
    return true;
  }

  private static void remark() {
    for (ScriptPool pool : POOLS) {
      for (InstanceSlot slot : pool.slots()) {
        ScriptRuntime runtime = slot.runtime();
        runtime.allocationMark = runtime.allocatedBytes();
      }
    }
  }

  private static long liveAfterFullCollection() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /**
   * Makes an {@link OutOfMemoryError} that no one caught, on any thread, end the plugin at once with one
   * error line, instead of leaving it alive without that thread (a timer, a gRPC thread) and failing
   * slowly. Other uncaught failures are printed as the JVM prints them.
   */
  public static void exitOnUncaughtOutOfMemory() {
    Thread.setDefaultUncaughtExceptionHandler((thread, failure) -> {
      if (HeapExhaustion.is(failure)) {
        HeapLimit limit = limit();
        exit("the plugin ran out of Java heap on its thread " + thread.getName() + " (" + failure.getMessage() + ")"
            + (limit == null ? "" : " under its " + limit.setting()) + ", so it exits");
      }
      System.err.print("Exception in thread \"" + thread.getName() + "\" ");
      failure.printStackTrace(System.err);
    });
  }

  /** Ends the process at once after one error line: nothing else may run (or allocate) meanwhile. */
  static void exit(String line) {
    try {
      LOG.severe(line);
      for (Handler handler : Logger.getLogger("").getHandlers()) {
        handler.flush();
      }
    } catch (Throwable t) {
      System.err.println("bridgejs: " + line);
    }
    System.err.flush();
    Runtime.getRuntime().halt(1);
  }

  @Override
  public void close() {
    closed = true;
    synchronized (HeapWatch.class) {
      if (installed == this) {
        installed = null;
      }
    }
    try {
      ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).removeNotificationListener(listener);
    } catch (ListenerNotFoundException e) {
      // never added
    }
    oldGeneration.setUsageThreshold(0);
    watcher.interrupt();
  }
}
