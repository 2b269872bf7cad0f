package dev.bridge.warm;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * Where a user's warm runtimes keep their sockets, locks and logs: {@code $XDG_RUNTIME_DIR/bridge} when that
 * variable names a directory of ours, else {@code /tmp/bridge-<uid>}. The directory is made mode 0700 and checked
 * before every use (a directory, not a symbolic link, owned by us, mode 0700): the socket in it is then reachable by
 * its user alone, and nobody else can put a socket there for our clients to talk to. The C client makes the same
 * choice and the same checks (bridgejs-warm.c).
 */
public final class RuntimeDirectory {
  static final String XDG_RUNTIME_DIR = "XDG_RUNTIME_DIR";
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

  private RuntimeDirectory() {}

  /** The directory for the user {@code uid} with environment {@code env}, not yet made nor checked. */
  public static Path choose(Map<String, String> env, long uid) {
    String xdg = env.get(XDG_RUNTIME_DIR);
    if (xdg != null && xdg.startsWith("/")) {
      try {
        Path base = Path.of(xdg);
        if (Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS) && ownerOf(base) == uid) {
          return base.resolve("bridge");
        }
      } catch (InvalidPathException | IOException e) {
        // An unusable XDG_RUNTIME_DIR is not an error: /tmp serves, as for a user without a session.
      }
    }
    return Path.of("/tmp", "bridge-" + uid);
  }

  /**
   * Makes {@code dir} (mode 0700) if it does not exist, then checks it.
   *
   * @throws IOException naming the directory and what is wrong with it
   */
  public static Path prepare(Path dir, long uid) throws IOException {
    try {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      // The umask may have taken bits away; none can have been added, but say exactly what we want.
      Files.setPosixFilePermissions(dir, OWNER_ONLY);
    } catch (FileAlreadyExistsException e) {
      // Checked below, whoever made it.
    }
    check(dir, uid);
    return dir;
  }

  /** Checks that {@code dir} is a directory, not a link, owned by {@code uid}, of mode 0700. */
  public static void check(Path dir, long uid) throws IOException {
    if (Files.isSymbolicLink(dir)) {
      throw new IOException("the warm runtime's directory " + dir + " is a symbolic link; remove it");
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("the warm runtime's directory " + dir + " is not a directory; remove it");
    }
    long owner = ownerOf(dir);
    if (owner != uid) {
      throw new IOException("the warm runtime's directory " + dir + " belongs to uid " + owner + ", not to uid "
          + uid + "; remove it, or set XDG_RUNTIME_DIR to a directory of your own");
    }
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
    if (!mode.equals(OWNER_ONLY)) {
      throw new IOException("the warm runtime's directory " + dir + " has mode " + PosixFilePermissions.toString(mode)
          + ", not rwx------; chmod 700 it or remove it");
    }
  }

  private static long ownerOf(Path path) throws IOException {
    return ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
  }
}
