package dev.bridge.warm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class QuietPolicyTest {
  private static final long SECOND = Duration.ofSeconds(1).toNanos();
  private static final long MB = 1L << 20;

  private static QuietPolicy policy() {
    return new QuietPolicy(Duration.ofSeconds(10), 4 * MB);
  }

  /** Samples once a second from second {@code from} to {@code to}, the heap and collections unchanged. */
  private static boolean anyCollect(QuietPolicy p, int from, int to, long used, long collections) {
    boolean any = false;
    for (int s = from; s <= to; s++) {
      any |= p.sample(s * SECOND, used, collections);
    }
    return any;
  }

  @Test
  void collectsOnceQuietAfterWork() {
    QuietPolicy p = policy();
    assertFalse(p.sample(0, 100 * MB, 5));
    assertFalse(p.sample(SECOND, 20 * MB, 6), "a collection is work, not quiet");
    assertFalse(anyCollect(p, 2, 10, 20 * MB, 6), "quiet for 9 s only");
    assertTrue(p.sample(11 * SECOND, 21 * MB, 6), "quiet for 10 s after work");
  }

  @Test
  void aQuietRuntimeIsCollectedOnlyOnce() {
    QuietPolicy p = policy();
    p.sample(0, 100 * MB, 5);
    p.sample(SECOND, 20 * MB, 6);
    assertTrue(anyCollect(p, 2, 11, 20 * MB, 6));
    p.collected(11 * SECOND, 15 * MB, 7);
    assertFalse(anyCollect(p, 12, 100, 15 * MB, 7), "no work since");
  }

  @Test
  void aBusyRuntimeIsNeverCollected() {
    QuietPolicy p = policy();
    long collections = 0;
    for (int s = 0; s < 120; s++) {
      if (s % 3 == 0) {
        collections++; // a young collection every 3 s under load
      }
      assertFalse(p.sample(s * SECOND, (20 + s % 3 * 30) * MB, collections), "second " + s);
    }
  }

  @Test
  void heapGrowthWithoutCollectionsIsNotQuiet() {
    QuietPolicy p = policy();
    p.sample(0, 10 * MB, 1);
    p.instanceEnded();
    for (int s = 1; s <= 30; s++) {
      assertFalse(p.sample(s * SECOND, (10 + 5L * s) * MB, 1), "growing 5 MB a second, second " + s);
    }
  }

  @Test
  void anEndedInstanceIsWorkEvenWithoutCollections() {
    QuietPolicy p = policy();
    assertFalse(anyCollect(p, 0, 30, 50 * MB, 3), "nothing happened");
    p.instanceEnded();
    assertTrue(anyCollect(p, 31, 40, 50 * MB, 3));
  }
}
