package dev.bridge.warm;

import java.time.Duration;

/**
 * When the warm runtime should run a full collection to give its heap back: once it has gone quiet after work.
 * Work leaves the heap grown (the serial collector keeps what a load made it take, much of it the optimizing
 * compiler's garbage), and an ended instance leaves its contexts behind; a runtime that then waits for its next
 * launch, or whose plugins wait for their next calls, would keep all of it. Quiet means no collection and less than
 * {@code quietBytes} of heap growth for {@code quietFor}: a runtime under load collects every few seconds, so this
 * never adds a pause to a busy one. One collection per spell of work: a runtime that stays quiet is not collected
 * again. Pure bookkeeping, fed by {@link QuietCollector}'s samples, so that it can be tested without a heap.
 */
final class QuietPolicy {
  private final long quietForNanos;
  private final long quietBytes;
  private long windowStart;
  private long usedAtWindowStart;
  private long collections = -1;
  private boolean worked;

  QuietPolicy(Duration quietFor, long quietBytes) {
    this.quietForNanos = quietFor.toNanos();
    this.quietBytes = quietBytes;
  }

  /** An instance ended: its garbage is worth a collection once the runtime is quiet, even without other work. */
  synchronized void instanceEnded() {
    worked = true;
  }

  /**
   * One sample of the heap.
   *
   * @param now {@link System#nanoTime()}
   * @param used bytes of heap in use
   * @param collectionCount collections so far, of every collector
   * @return whether to collect now; the caller then reports the collection with {@link #collected}
   */
  synchronized boolean sample(long now, long used, long collectionCount) {
    boolean collectedMeanwhile = collections >= 0 && collectionCount != collections;
    if (collections < 0 || collectedMeanwhile || used - usedAtWindowStart > quietBytes) {
      worked |= collectedMeanwhile;
      collections = collectionCount;
      windowStart = now;
      usedAtWindowStart = used;
      return false;
    }
    return worked && now - windowStart >= quietForNanos;
  }

  /** The collection {@link #sample} asked for ran: quiet again from here, with nothing left to give back. */
  synchronized void collected(long now, long used, long collectionCount) {
    worked = false;
    collections = collectionCount;
    windowStart = now;
    usedAtWindowStart = used;
  }
}
