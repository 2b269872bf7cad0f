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
    Path path = root.resolve(userPath, "open", true);
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
    Path path = root.resolve(userPath, "unlink", false);
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new FsException("EISDIR", "illegal operation on a directory", "unlink", userPath);
    }
    try {
      Files.delete(path);
    } catch (IOException e) {
      throw translateWrite(e, "unlink", userPath, path.getParent());
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
