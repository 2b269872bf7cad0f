package dev.bridge.script;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * The Java side of the scripts' {@code fs} global: synchronous whole-file operations confined to a
 * {@link FilesRoot}. Failures are {@link FsException}s carrying Node's error codes.
 */
final class HostFs {
  private final FilesRoot root;

  HostFs(FilesRoot root) {
    this.root = root;
  }

  byte[] readFile(String userPath) throws FsException {
    Path path = root.resolve(userPath, "open", true);
    if (Files.isDirectory(path)) {
      throw new FsException("EISDIR", "illegal operation on a directory", "read", userPath);
    }
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw translate(e, "open", userPath);
    }
  }

  void writeFile(String userPath, byte[] data) throws FsException {
    Path path = root.resolve(userPath, "open", true, true);
    if (Files.isDirectory(path)) {
      throw new FsException("EISDIR", "illegal operation on a directory", "open", userPath);
    }
    // Written beside the target and renamed over it, so that a reader (another instance, the host)
    // sees the old content or the new, never part of it.
    Path temporary = path.resolveSibling("." + path.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      Files.write(temporary, data, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temporary);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw translateWrite(e, "open", userPath, path.getParent());
    }
  }

  boolean exists(String userPath) throws FsException {
    if (userPath.isEmpty()) {
      return false;
    }
    Path path = root.resolve(userPath, "access", true);
    return Files.exists(path);
  }

  void unlink(String userPath) throws FsException {
    Path path = root.resolve(userPath, "unlink", false, true);
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new FsException("EISDIR", "illegal operation on a directory", "unlink", userPath);
    }
    try {
      Files.delete(path);
    } catch (IOException e) {
      throw translateWrite(e, "unlink", userPath, path.getParent());
    }
  }

  /** Appends in place (not atomically, unlike writeFile: appending is for logs). */
  void appendFile(String userPath, byte[] data) throws FsException {
    Path path = root.resolve(userPath, "open", true, true);
    if (Files.isDirectory(path)) {
      throw new FsException("EISDIR", "illegal operation on a directory", "open", userPath);
    }
    try {
      Files.write(path, data, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw translateWrite(e, "open", userPath, path.getParent());
    }
  }

  /** The names in a directory, sorted (Node's order is the file system's; sorted is stable across machines). */
  java.util.List<String> readdir(String userPath) throws FsException {
    Path path = root.resolve(userPath, "scandir", true);
    try (var names = Files.list(path)) {
      return names.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw translate(e, "scandir", userPath);
    }
  }

  void mkdir(String userPath, boolean recursive) throws FsException {
    Path path = root.resolve(userPath, "mkdir", false, true);
    try {
      if (recursive) {
        // Each existing component was resolved inside the root, so creating the rest stays inside it.
        Files.createDirectories(path);
      } else {
        Files.createDirectory(path);
      }
    } catch (IOException e) {
      throw translateWrite(e, "mkdir", userPath, path.getParent());
    }
  }

  /** size, whether a file or directory, and the modification time in milliseconds. */
  java.util.Map<String, Object> stat(String userPath) throws FsException {
    Path path = root.resolve(userPath, "stat", true);
    try {
      var attributes = Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class);
      return java.util.Map.of("size", (double) attributes.size(), "isFile", attributes.isRegularFile(),
          "isDirectory", attributes.isDirectory(), "mtimeMs", (double) attributes.lastModifiedTime().toMillis());
    } catch (IOException e) {
      throw translate(e, "stat", userPath);
    }
  }

  void rename(String from, String to) throws FsException {
    Path source = root.resolve(from, "rename", false, true);
    Path target = root.resolve(to, "rename", false, true);
    try {
      Files.move(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw translateWrite(e, "rename", from, source.getParent());
    }
  }

  /** Removes a file, or a directory (its contents too only when recursive); force: a missing path is fine. */
  void rm(String userPath, boolean recursive, boolean force) throws FsException {
    Path path = root.resolve(userPath, "rm", false, true);
    if (root.isTop(path)) {
      throw new FsException("EPERM", "operation not permitted: a granted directory itself", "rm", userPath);
    }
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      if (force) {
        return;
      }
      throw new FsException("ENOENT", "no such file or directory", "rm", userPath);
    }
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) && !recursive) {
      throw new FsException("ERR_FS_EISDIR", "is a directory (use { recursive: true })", "rm", userPath);
    }
    try {
      // walk does not follow symbolic links: a link inside is removed, never what it points to.
      try (var paths = Files.walk(path)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    } catch (IOException e) {
      throw translateWrite(e, "rm", userPath, path.getParent());
    }
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * A failed change to {@code directory}: refused for permissions, it names the directory, the user and
   * --files-dir, since a host may run the plugin as a user who may not write its working directory (the
   * default files root).
   */
  private FsException translateWrite(IOException e, String syscall, String userPath, Path directory) {
    return translateWrite(e, syscall, userPath, directory, root.path());
  }

  static FsException translateWrite(IOException e, String syscall, String userPath, Path directory, Path filesRoot) {
    boolean readOnly = e instanceof FileSystemException && !(e instanceof AccessDeniedException)
        && String.valueOf(e.getMessage()).contains("Read-only file system");
    if (!(e instanceof AccessDeniedException) && !readOnly) {
      return translate(e, syscall, userPath);
    }
    String hint = "the directory " + directory + (readOnly ? " is on a read-only file system"
        : " is not writable by user " + System.getProperty("user.name")) + "; the scripts' files are under --files-dir "
        + filesRoot + " (default: the working directory), which must be writable to write files";
    return readOnly ? new FsException("EROFS", "read-only file system", syscall, userPath, hint)
        : new FsException("EACCES", "permission denied", syscall, userPath, hint);
  }

  private static FsException translate(IOException e, String syscall, String userPath) {
    if (e instanceof NoSuchFileException) {
      return new FsException("ENOENT", "no such file or directory", syscall, userPath);
    }
    if (e instanceof AccessDeniedException) {
      return new FsException("EACCES", "permission denied", syscall, userPath);
    }
    if (e instanceof FileAlreadyExistsException) {
      return new FsException("EEXIST", "file already exists", syscall, userPath);
    }
    if (e instanceof DirectoryNotEmptyException) {
      return new FsException("ENOTEMPTY", "directory not empty", syscall, userPath);
    }
    if (e instanceof NotDirectoryException) {
      return new FsException("ENOTDIR", "not a directory", syscall, userPath);
    }
    String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new FsException("EIO", "i/o error (" + detail + ")", syscall, userPath);
  }
}
