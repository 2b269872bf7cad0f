package dev.bridge.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The tar archive of a packed plugin's files, which its stub extracts with the system's {@code tar}. The
 * same files give the same bytes (names sorted, no owner, times and modes fixed), so packing again an
 * unchanged plugin gives the same file and the same SHA-256, which a host such as Vault may have recorded.
 */
final class PackArchive {
  private static final FileTime EPOCH = FileTime.fromMillis(0);
  private static final int DIRECTORY_MODE = 040755;
  private static final int FILE_MODE = 0100644;

  private PackArchive() {}

  static byte[] of(PackedFiles packed) throws StartupException {
    var bytes = new ByteArrayOutputStream();
    try (var tar = new TarArchiveOutputStream(bytes, "UTF-8")) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (String directory : packed.directories()) {
        tar.putArchiveEntry(entry(directory + "/", DIRECTORY_MODE, 0));
        tar.closeArchiveEntry();
      }
      for (Map.Entry<String, Path> file : packed.files().entrySet()) {
        byte[] content = read(file.getValue());
        tar.putArchiveEntry(entry(file.getKey(), FILE_MODE, content.length));
        tar.write(content);
        tar.closeArchiveEntry();
      }
      tar.finish();
    } catch (IOException e) {
      // Written to memory: only the files read can fail, and read() names them.
      throw new IllegalStateException("cannot write the archive in memory", e);
    }
    return bytes.toByteArray();
  }

  private static TarArchiveEntry entry(String name, int mode, long size) {
    var entry = new TarArchiveEntry(name, true);
    entry.setMode(mode);
    entry.setSize(size);
    entry.setModTime(EPOCH);
    entry.setIds(0, 0);
    entry.setNames("", "");
    return entry;
  }

  private static byte[] read(Path file) throws StartupException {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new StartupException(file + ": cannot read it to pack it: " + e.getMessage(), e);
    }
  }
}
