package dev.bridge.script;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Time limits that are nearly always lifted before they are due (a unary call's limit, lifted when it answers a few
 * microseconds later; a stream's turn; a queued task's watchdog). Setting and lifting one wakes no thread: one task
 * of the executor waits for the earliest limit set, and only a limit due sooner than that one moves it. When that
 * task runs it fires what is due and waits again for the earliest left.
 *
 * <p>Scheduling each limit on the executor itself woke its thread for nearly every call (each new limit was the
 * earliest of a queue its lifted predecessor had left empty): a fifth of the plugin's CPU time per call with the
 * optimizing runtime (docs/speed.md, "Warm calls").
 */
final class Deadlines {
  /** A limit set: lift it once what it guards has ended. */
  interface Limit {
    /** Lifts the limit; its action will not run (unless it already started). Any thread, any number of times. */
    void lift();
  }

  private static final long MAX_DELAY_NANOS = Long.MAX_VALUE / 4;

  private final ScheduledExecutorService executor;
  /** Starts a due action: it must not hold up the executor's thread, which fires every limit. */
  private final Consumer<Runnable> starter;
  /** The limits set, earliest first (a map for its {@code firstEntry}, null when empty). */
  private final ConcurrentSkipListMap<Entry, Boolean> pending = new ConcurrentSkipListMap<>();
  private final AtomicLong serial = new AtomicLong();
  private final Object arming = new Object();
  /** When the executor's task is due ({@link System#nanoTime}), {@link Long#MAX_VALUE} when none is scheduled. */
  private volatile long armedAt = Long.MAX_VALUE;
  /** Guarded by {@link #arming}. */
  private ScheduledFuture<?> armed;

  /**
   * @param executor where the one waiting task runs
   * @param starter runs a due action elsewhere (on a thread of its own), so that it cannot delay the others
   */
  Deadlines(ScheduledExecutorService executor, Consumer<Runnable> starter) {
    this.executor = executor;
    this.starter = starter;
  }

  /** Runs {@code action} (through the starter) after {@code delay}, unless lifted first. */
  Limit after(Duration delay, Runnable action) {
    // At most about 73 years ahead: dues are compared directly, which nanoTime's range allows without overflow.
    long due = System.nanoTime() + Math.min(Math.max(0, delay.toNanos()), MAX_DELAY_NANOS);
    Entry entry = new Entry(due, serial.getAndIncrement(), action);
    pending.put(entry, Boolean.TRUE);
    if (due < armedAt) {
      synchronized (arming) {
        if (due < armedAt) {
          arm(due);
        }
      }
    }
    return entry;
  }

  /** Limits set and neither lifted nor fired (for tests). */
  int pending() {
    return pending.size();
  }

  /** Under {@link #arming}: the executor's task waits for {@code due} instead. */
  private void arm(long due) {
    if (armed != null) {
      armed.cancel(false);
    }
    armedAt = due;
    armed = executor.schedule(this::fire, Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  /**
   * On the executor's thread: fires what is due, then waits for the earliest left. A limit set meanwhile either saw
   * no task armed and armed one, or was set before the reset below and is seen here.
   */
  private void fire() {
    synchronized (arming) {
      armed = null;
      armedAt = Long.MAX_VALUE;
    }
    long now = System.nanoTime();
    Entry first;
    while ((first = firstOrNull()) != null && first.due - now <= 0) {
      if (pending.remove(first) != null) {
        starter.accept(first.action);
      }
    }
    synchronized (arming) {
      Entry next = firstOrNull();
      if (next != null && next.due < armedAt) {
        arm(next.due);
      }
    }
  }

  private Entry firstOrNull() {
    Map.Entry<Entry, Boolean> first = pending.firstEntry();
    return first == null ? null : first.getKey();
  }

  private final class Entry implements Limit, Comparable<Entry> {
    final long due;
    final long order;
    final Runnable action;

    Entry(long due, long order, Runnable action) {
      this.due = due;
      this.order = order;
      this.action = action;
    }

    @Override
    public void lift() {
      pending.remove(this);
    }

    @Override
    public int compareTo(Entry other) {
      int byDue = Long.compare(due, other.due);
      return byDue != 0 ? byDue : Long.compare(order, other.order);
    }
  }
}
