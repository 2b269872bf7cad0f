package dev.bridge.warm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarmBuildTest {
  @TempDir Path temp;

  @Test
  void aRebuiltOrMovedJarIsAnotherBuild() throws IOException {
    Path jar = Files.writeString(temp.resolve("bridge.jar"), "jar");
    Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2026-12-03T10:00:00.123456789Z")));
    WarmBuild first = WarmBuild.of(jar);
    assertTrue(first.id().matches("[0-9a-f]{16}"), first.id());
    assertEquals(first, WarmBuild.of(jar), "the same jar");
    Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2026-12-03T10:00:00.123456790Z")));
    assertNotEquals(first, WarmBuild.of(jar), "one nanosecond later");
    Path moved = Files.copy(jar, temp.resolve("other.jar"));
    Files.setLastModifiedTime(moved, Files.getLastModifiedTime(jar));
    assertNotEquals(WarmBuild.of(jar), WarmBuild.of(moved), "another path");
  }

  @Test
  void theHashIsFnv1a64AsTheCClientComputesIt() {
    // Reference values of 64-bit FNV-1a.
    assertEquals("cbf29ce484222325", WarmBuild.hash(""));
    assertEquals("af63dc4c8601ec8c", WarmBuild.hash("a"));
    assertEquals("85944171f73967e8", WarmBuild.hash("foobar"));
  }

  @Test
  void socketLockAndLogAreNamedForTheBuild() {
    var build = new WarmBuild("0123456789abcdef");
    assertEquals(Path.of("/d/runtime-0123456789abcdef.sock"), build.socket(Path.of("/d")));
    assertEquals(Path.of("/d/runtime-0123456789abcdef.lock"), build.lock(Path.of("/d")));
    assertEquals(Path.of("/d/runtime-0123456789abcdef.log"), build.log(Path.of("/d")));
  }
}
