package dev.bridge.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Changes are reported once the files settle, whichever way an editor saves them, and only real changes. */
class FileWatcherTest {
  /** Long enough that back-to-back writes in a test always fall within one quiet period. */
  private static final Duration QUIET = Duration.ofMillis(300);

  @TempDir Path dir;
  private final BlockingQueue<Set<Path>> reports = new LinkedBlockingQueue<>();
  private FileWatcher watcher;
  private Path script;
  private Path proto;

  @BeforeEach
  void watchTwoFiles() throws Exception {
    script = Files.writeString(dir.resolve("kv.js"), "v1");
    proto = Files.writeString(dir.resolve("kv.proto"), "p1");
    watcher = new FileWatcher(Set.of(script, proto), QUIET, reports::add);
  }

  @AfterEach
  void close() {
    watcher.close();
  }

  private Set<Path> nextReport() throws InterruptedException {
    return reports.poll(10, TimeUnit.SECONDS);
  }

  /** No report within several quiet periods (a report that should not exist can only come late, never falsely). */
  private void assertNoReport() throws InterruptedException {
    assertNull(reports.poll(QUIET.toMillis() * 4, TimeUnit.MILLISECONDS));
  }

  @Test
  void aWriteInPlaceIsReported() throws Exception {
    Files.writeString(script, "v2");
    assertEquals(Set.of(script), nextReport());
    assertNoReport();
  }

  @Test
  void aSaveByRenameIsReported() throws Exception {
    Path temporary = Files.writeString(dir.resolve(".kv.js.swp"), "v2");
    Files.move(temporary, script, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    assertEquals(Set.of(script), nextReport());
    assertNoReport();
  }

  @Test
  void truncateThenWriteIsOneReport() throws Exception {
    Files.writeString(script, "");
    Files.writeString(script, "v2");
    assertEquals(Set.of(script), nextReport());
    assertNoReport();
  }

  @Test
  void quickSavesOfBothFilesAreOneReport() throws Exception {
    for (int i = 0; i < 5; i++) {
      Files.writeString(script, "v" + i);
      Files.writeString(proto, "p" + i);
    }
    assertEquals(Set.of(script, proto), nextReport());
    assertNoReport();
  }

  @Test
  void aSaveThatChangesNothingIsNotReported() throws Exception {
    Files.writeString(script, "v1");
    assertNoReport();
  }

  @Test
  void otherFilesInTheDirectoryAreIgnored() throws Exception {
    Files.writeString(dir.resolve("kv_hello"), "data");
    assertNoReport();
  }

  @Test
  void aDeletedFileIsReportedAndSoIsItsReturn() throws Exception {
    Files.delete(proto);
    assertEquals(Set.of(proto), nextReport());
    Files.writeString(proto, "p1");
    assertEquals(Set.of(proto), nextReport());
  }

  @Test
  void theWatchedSetCanChange(@TempDir Path other) throws Exception {
    Path module = Files.writeString(other.resolve("util.mjs"), "u1");
    watcher.watch(Set.of(script, module));
    assertEquals(Set.of(dir, other), Set.copyOf(watcher.watchedDirectories()));
    Files.writeString(proto, "p2");
    assertNoReport();
    Files.writeString(module, "u2");
    assertEquals(Set.of(module), nextReport());
  }

  @Test
  void aFileThatNoLongerHoldsWhatWasLoadedIsReportedWithoutAnEvent() throws Exception {
    watcher.close();
    FileDigests loaded = FileDigests.read(Set.of(script, proto));
    Files.writeString(script, "saved before anything watched it");
    watcher = new FileWatcher(loaded, QUIET, reports::add);
    assertEquals(Set.of(script), nextReport());
    assertNoReport();
  }

  @Test
  void filesThatHoldWhatWasLoadedAreNotReported() throws Exception {
    watcher.close();
    watcher = new FileWatcher(FileDigests.read(Set.of(script, proto)), QUIET, reports::add);
    assertNoReport();
  }
}
