package dev.bridge.script;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The directory the {@code fs} global is confined to (the plugin's working directory). A script's path
 * is resolved against it and normalized; a path that leaves it, directly ({@code ../../etc/passwd},
 * an absolute path elsewhere) or through a symbolic link, is refused.
 */
final class FilesRoot {
  private final Path root;

  /** @param root an existing directory; kept as its real path */
  FilesRoot(Path root) throws IOException {
    this.root = root.toRealPath();
    if (!Files.isDirectory(this.root)) {
      throw new IOException("not a directory: " + root);
    }
  }

  Path path() {
    return root;
  }

  /**
   * The real location a script path names, inside the root.
   *
   * @param followFinalLink whether a symbolic link in the last component is followed (false for
   *     unlink, which removes the link itself)
   */
  Path resolve(String userPath, String syscall, boolean followFinalLink) throws FsException {
    if (userPath.isEmpty() || userPath.indexOf('\0') >= 0) {
      throw new FsException("ENOENT", "no such file or directory", syscall, userPath);
    }
    Path lexical;
    try {
      lexical = root.resolve(userPath).normalize();
    } catch (InvalidPathException e) {
      throw new FsException("ENOENT", "no such file or directory", syscall, userPath);
    }
    if (!lexical.startsWith(root)) {
      throw escape(syscall, userPath);
    }
    if (lexical.equals(root)) {
      return root;
    }
    Path real = followFinalLink ? realPrefix(lexical) : realPrefix(lexical.getParent()).resolve(lexical.getFileName());
    if (!real.startsWith(root)) {
      throw escape(syscall, userPath);
    }
    return real;
  }

  /** The path with its longest existing prefix replaced by that prefix's real path (links resolved). */
  private Path realPrefix(Path path) throws FsException {
    Path existing = path;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return path;
    }
    try {
      Path real = existing.toRealPath();
      return real.resolve(existing.relativize(path));
    } catch (IOException e) {
      // A dangling link: refuse rather than guess where it would lead.
      return existing.getRoot();
    }
  }

  private static FsException escape(String syscall, String userPath) {
    return new FsException("EACCES", "permission denied (outside the plugin's files directory)", syscall, userPath);
  }
}
