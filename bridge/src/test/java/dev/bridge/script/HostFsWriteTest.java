package dev.bridge.script;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes replace a file whole: a reader (another script instance, the host) never sees part of one. */
class HostFsWriteTest {
  @TempDir Path files;

  @Test
  void concurrentReadersSeeOneWholeVersionOrTheOther() throws Exception {
    HostFs fs = new HostFs(new FilesRoot(files));
    byte[] first = new byte[256 * 1024];
    byte[] second = new byte[256 * 1024];
    Arrays.fill(first, (byte) 'a');
    Arrays.fill(second, (byte) 'b');
    fs.writeFile("shared", first);
    try (ExecutorService threads = Executors.newFixedThreadPool(3)) {
      List<Future<?>> work = new ArrayList<>();
      work.add(threads.submit(() -> {
        for (int i = 0; i < 200; i++) {
          fs.writeFile("shared", i % 2 == 0 ? second : first);
        }
        return null;
      }));
      for (int reader = 0; reader < 2; reader++) {
        work.add(threads.submit(() -> {
          for (int i = 0; i < 200; i++) {
            byte[] read = fs.readFile("shared");
            assertTrue(Arrays.equals(read, first) || Arrays.equals(read, second),
                "read a torn file of " + read.length + " bytes");
          }
          return null;
        }));
      }
      for (Future<?> future : work) {
        future.get();
      }
    }
  }

  @Test
  void aWriteLeavesOnlyTheFileBehind() throws Exception {
    HostFs fs = new HostFs(new FilesRoot(files));
    fs.writeFile("f", new byte[] {1, 2});
    fs.writeFile("f", new byte[] {3});
    assertArrayEquals(new byte[] {3}, fs.readFile("f"));
    try (Stream<Path> left = Files.list(files)) {
      assertEquals(List.of(files.resolve("f")), left.toList());
    }
  }
}
