package dev.bridge.script;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The directory the {@code fs} global is confined to (the plugin's working directory). A script's path
 * is resolved against it and normalized; a path that leaves it, directly ({@code ../../etc/passwd},
 * an absolute path elsewhere) or through a symbolic link, is refused, unless it is an absolute path in a
 * directory {@code permissions.read} or {@code permissions.write} grants. A refusal of a path outside says which
 * permission would grant it ({@link Permissions#howToGrant}) and is marked as a permission denial
 * ({@link FsException#deniedPermission()}).
 */
final class FilesRoot {
  private final Path root;
  /** The root directory's identity (device and inode) when it was resolved: still the same directory if equal. */
  private final Object rootKey;
  /** Directories granted by permissions.read (and write, which implies read), as given and as real paths. */
  private final List<Path> readable;
  /** Directories granted by permissions.write. */
  private final List<Path> writable;
  private final Permissions permissions;

  /** @param root an existing directory; kept as its real path */
  FilesRoot(Path root) throws IOException {
    this(root, Permissions.none());
  }

  /** The root plus the directories {@code permissions.read}/{@code write} grant, reached by absolute paths. */
  FilesRoot(Path root, Permissions permissions) throws IOException {
    this.root = root.toRealPath();
    this.permissions = permissions;
    if (!Files.isDirectory(this.root)) {
      throw new IOException("not a directory: " + root);
    }
    this.rootKey = Files.readAttributes(this.root, BasicFileAttributes.class).fileKey();
    this.writable = withRealPaths(permissions.write());
    List<Path> both = new ArrayList<>(withRealPaths(permissions.read()));
    both.addAll(writable);
    this.readable = List.copyOf(both);
  }

  /** Each granted directory both as written and resolved, so a grant of a path through a link works either way. */
  private static List<Path> withRealPaths(List<Path> dirs) {
    List<Path> all = new ArrayList<>();
    for (Path dir : dirs) {
      all.add(dir);
      try {
        all.add(dir.toRealPath());
      } catch (IOException e) {
        // Not there (yet): only the path as granted.
      }
    }
    return List.copyOf(all);
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
    return resolve(userPath, syscall, followFinalLink, false);
  }

  /**
   * As {@link #resolve(String, String, boolean)}, also allowing absolute paths in the directories granted for
   * reading (or, when {@code write}, for writing).
   */
  Path resolve(String userPath, String syscall, boolean followFinalLink, boolean write) throws FsException {
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
      return resolveGranted(lexical, userPath, syscall, followFinalLink, write);
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

  /** A path outside the root, allowed only inside a granted directory, before and after resolving links. */
  private Path resolveGranted(Path lexical, String userPath, String syscall, boolean followFinalLink,
      boolean write) throws FsException {
    List<Path> granted = write ? writable : readable;
    if (!within(lexical, granted) || lexical.getParent() == null) {
      throw denied(syscall, userPath, lexical, write);
    }
    Path real = followFinalLink ? realPrefix(lexical) : realPrefix(lexical.getParent()).resolve(lexical.getFileName());
    if (!within(real, granted)) {
      throw denied(syscall, userPath, real, write);
    }
    return real;
  }

  /**
   * A path outside the files directory and the granted ones: the refusal names the directory to grant, the one
   * holding the path (a directory read: itself).
   */
  private FsException denied(String syscall, String userPath, Path outside, boolean write) {
    Path directory = syscall.equals("scandir") || outside.getParent() == null ? outside : outside.getParent();
    return new FsException("EACCES", "permission denied (outside the plugin's files directory and the directories"
        + " granted)", syscall, userPath, permissions.howToGrant(write ? "write" : "read", directory.toString()), true);
  }

  /** Whether the path is the files directory or a granted directory itself, which rm must not remove. */
  boolean isTop(Path path) {
    return path.equals(root) || readable.contains(path);
  }

  private static boolean within(Path path, List<Path> dirs) {
    return dirs.stream().anyMatch(path::startsWith);
  }

  /** The path with its longest existing prefix replaced by that prefix's real path (links resolved). */
  private Path realPrefix(Path path) throws FsException {
    if (path.startsWith(root)) {
      Path unlinked = withoutLinksBelowRoot(path);
      if (unlinked != null) {
        return unlinked;
      }
    }
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

  /**
   * The path itself when it is its own real path as far as it exists, found by looking at the root and the
   * components below it alone; null when that cannot be shown (a link, an unreadable directory, a root that is no
   * longer the directory it was), for the caller to resolve the whole path. Every file call checks its path, so this
   * spares it resolving every component from {@code /}: one {@code lstat} per component below the root, and one for
   * the root, whose identity stands for all of its ancestors: were one of them replaced by a link, the root's path
   * would lead to another directory.
   */
  private Path withoutLinksBelowRoot(Path path) {
    try {
      BasicFileAttributes top = Files.readAttributes(root, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!top.isDirectory() || rootKey == null || !rootKey.equals(top.fileKey())) {
        return null;
      }
      Path current = root;
      for (Path name : root.relativize(path)) {
        if (name.toString().isEmpty()) {
          continue;  // the root itself
        }
        current = current.resolve(name);
        BasicFileAttributes attributes;
        try {
          attributes = Files.readAttributes(current, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
          return path;  // nothing from here on exists, so nothing below can be a link
        }
        if (attributes.isSymbolicLink()) {
          return null;
        }
      }
      return path;
    } catch (IOException e) {
      return null;
    }
  }

  private static FsException escape(String syscall, String userPath) {
    return new FsException("EACCES", "permission denied (outside the plugin's files directory)", syscall, userPath);
  }
}
