package dev.bridge.script;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
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
      throw translate(e, "open", userPath);
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
      throw translate(e, "unlink", userPath);
    }
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
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
