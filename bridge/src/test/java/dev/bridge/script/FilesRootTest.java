package dev.bridge.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a script's path leads: inside the files directory only, whatever links or renames are in the way. */
class FilesRootTest {
  @TempDir Path dir;

  @Test
  void plainPathsInsideResolveToThemselves() throws Exception {
    Path files = Files.createDirectory(dir.resolve("files")).toRealPath();
    Files.createDirectory(files.resolve("sub"));
    Files.writeString(files.resolve("sub/a"), "a");
    FilesRoot root = new FilesRoot(files);
    assertEquals(files.resolve("sub/a"), root.resolve("sub/a", "open", true));
    assertEquals(files.resolve("sub/new/deeper"), root.resolve("sub/new/deeper", "open", true));
    assertEquals(files, root.resolve(".", "scandir", true));
  }

  @Test
  void aLinkBelowTheRootIsFollowedAndCheckedAtAnyDepth() throws Exception {
    Path files = Files.createDirectory(dir.resolve("files")).toRealPath();
    Path outside = Files.createDirectory(dir.resolve("outside")).toRealPath();
    Files.createDirectory(files.resolve("in"));
    Files.createSymbolicLink(files.resolve("in/out"), outside);
    Files.createSymbolicLink(files.resolve("alias"), files.resolve("in"));
    FilesRoot root = new FilesRoot(files);
    assertEquals("EACCES", assertThrows(FsException.class, () -> root.resolve("in/out/x", "open", true)).code());
    assertEquals("EACCES", assertThrows(FsException.class, () -> root.resolve("alias/out", "open", true)).code());
    assertEquals(files.resolve("in/f"), root.resolve("alias/f", "open", true));
    // unlink of the link itself stays inside
    assertEquals(files.resolve("in/out"), root.resolve("in/out", "unlink", false));
  }

  @Test
  void aRootReplacedByALinkAfterItWasResolvedLeadsNowhereElse() throws Exception {
    Path files = Files.createDirectory(dir.resolve("files")).toRealPath();
    Path outside = Files.createDirectory(dir.resolve("outside")).toRealPath();
    Files.writeString(outside.resolve("secret"), "s");
    FilesRoot root = new FilesRoot(files);
    Files.move(files, dir.resolve("moved"));
    Files.createSymbolicLink(files, outside);
    assertEquals("EACCES", assertThrows(FsException.class, () -> root.resolve("secret", "open", true)).code());
  }

  @Test
  void aRootReplacedByAnotherDirectoryIsResolvedAgain() throws Exception {
    Path parent = Files.createDirectory(dir.resolve("parent")).toRealPath();
    Path files = Files.createDirectory(parent.resolve("files"));
    Path outside = Files.createDirectories(dir.resolve("outside/files")).toRealPath();
    Files.writeString(outside.resolve("secret"), "s");
    FilesRoot root = new FilesRoot(files);
    // an ancestor of the root swapped for a link: the root's path now reaches another directory of the same name
    Files.move(parent, dir.resolve("moved"));
    Files.createSymbolicLink(parent, outside.getParent());
    assertEquals("EACCES", assertThrows(FsException.class, () -> root.resolve("secret", "open", true)).code());
  }
}
