package dev.bridge.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The file {@code bridgejs pack} writes, as hosts that run plugin files check it: mode 0755 whatever the
 * umask (executable by the host's user, writable by the owner alone), complete or absent (written beside and
 * renamed, so that a host scanning its plugin directory never runs half a file).
 */
final class PackedFile {
  private PackedFile() {}

  /** Writes {@code target} as {@code parts} one after another; returns its SHA-256, hex. */
  static String write(Path target, byte[]... parts) throws IOException {
    Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
    try {
      MessageDigest sha256 = sha256();
      try (OutputStream out = Files.newOutputStream(temporary)) {
        for (byte[] part : parts) {
          out.write(part);
          sha256.update(part);
        }
      }
      // Set explicitly: a mode given at creation would pass through the umask.
      Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return HexFormat.of().formatHex(sha256.digest());
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /**
   * What to tell the user when the file is not root's: some hosts run only plugin files that root owns (or
   * their own user), which pack cannot make so unless it runs as that user.
   */
  static Optional<String> ownerNote(Path file) throws IOException {
    String owner = Files.getOwner(file).getName();
    if (owner.equals("root")) {
      return Optional.empty();
    }
    return Optional.of("note: " + file + " is owned by " + owner + "; a host that checks its plugins' owner may want "
        + "root: sudo chown root:root " + file);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  static String sha256(byte[] content) {
    return HexFormat.of().formatHex(sha256().digest(content));
  }
}
