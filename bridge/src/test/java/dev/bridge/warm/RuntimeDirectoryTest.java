package dev.bridge.warm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bridge.cache.Uid;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeDirectoryTest {
  @TempDir Path temp;

  @Test
  void xdgRuntimeDirOfOursIsUsedElseTmp() throws IOException {
    long uid = Uid.effective();
    assertEquals(temp.resolve("bridge"), RuntimeDirectory.choose(Map.of("XDG_RUNTIME_DIR", temp.toString()), uid));
    assertEquals(Path.of("/tmp/bridge-" + uid), RuntimeDirectory.choose(Map.of(), uid));
    assertEquals(Path.of("/tmp/bridge-" + uid), RuntimeDirectory.choose(Map.of("XDG_RUNTIME_DIR", "relative"), uid));
    assertEquals(Path.of("/tmp/bridge-" + (uid + 1)),
        RuntimeDirectory.choose(Map.of("XDG_RUNTIME_DIR", temp.toString()), uid + 1), "another user's directory");
  }

  @Test
  void theDirectoryIsMadeOwnerOnly() throws IOException {
    Path dir = RuntimeDirectory.prepare(temp.resolve("bridge"), Uid.effective());
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    RuntimeDirectory.prepare(dir, Uid.effective()); // again: it exists and passes
  }

  @Test
  void anOpenModeALinkAnotherOwnerOrAFileIsRefused() throws IOException {
    long uid = Uid.effective();
    Path open = Files.createDirectory(temp.resolve("open"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertRefused(open, uid, "has mode rwxr-xr-x, not rwx------");

    Path owned = RuntimeDirectory.prepare(temp.resolve("owned"), uid);
    Path link = Files.createSymbolicLink(temp.resolve("link"), owned);
    assertRefused(link, uid, "is a symbolic link");
    assertRefused(owned, uid + 1, "belongs to uid " + uid + ", not to uid " + (uid + 1));
    assertRefused(Files.createFile(temp.resolve("file")), uid, "is not a directory");
  }

  private static void assertRefused(Path dir, long uid, String why) {
    var e = assertThrows(IOException.class, () -> RuntimeDirectory.prepare(dir, uid));
    assertTrue(e.getMessage().contains(dir + " " + why), e.getMessage());
  }
}
