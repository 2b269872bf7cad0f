package dev.bridge.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A write refused for permissions says which directory and that --files-dir chooses it: a host may run
 * the plugin as a user who may not write its working directory. (Tests run as root, whom permissions do
 * not stop, so the refusal is given here; the e2e TestAnotherUserUnwritableHome sees a real one.)
 */
class HostFsPermissionTest {
  private final Path root = Path.of("/srv/plugin");

  @Test
  void aRefusedWriteNamesTheDirectoryTheUserAndFilesDir() {
    FsException e = HostFs.translateWrite(new AccessDeniedException("/srv/plugin/data/.x.tmp"), "open", "data/x",
        root.resolve("data"), root);
    assertEquals("EACCES", e.code());
    assertTrue(e.getMessage().startsWith("EACCES: permission denied, open 'data/x' ("), e.getMessage());
    assertTrue(e.getMessage().contains("the directory /srv/plugin/data is not writable by user "
        + System.getProperty("user.name")), e.getMessage());
    assertTrue(e.getMessage().contains("--files-dir /srv/plugin"), e.getMessage());
  }

  @Test
  void aReadOnlyFileSystemIsSaidAsSuch() {
    FsException e = HostFs.translateWrite(new FileSystemException("/srv/plugin/.x.tmp", null, "Read-only file system"),
        "unlink", "x", root, root);
    assertEquals("EROFS", e.code());
    assertTrue(e.getMessage().contains("the directory /srv/plugin is on a read-only file system")
        && e.getMessage().contains("--files-dir"), e.getMessage());
  }

  @Test
  void otherFailuresKeepNodesPlainText() {
    FsException e = HostFs.translateWrite(new NoSuchFileException("/srv/plugin/a/.x.tmp"), "open", "a/x",
        root.resolve("a"), root);
    assertEquals("ENOENT: no such file or directory, open 'a/x'", e.getMessage());
  }
}
