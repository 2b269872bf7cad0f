package dev.bridge.schema;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A directory of parsed schemas, one file per {@linkplain CacheKey key}. Reading and writing never
 * fail: whatever goes wrong is a debug line and an entry not read or not written, since the cache only
 * saves time and must never cost a start.
 *
 * @param directory where the entries are; created at the first write
 * @param buildIdentity what identifies this build of the bridge, part of every key
 */
public record SchemaCache(Path directory, String buildIdentity) {
  static final Logger LOG = Logger.getLogger("dev.bridge.schema");

  /** Entries left unwritten this long are removed at the next write: each build of the bridge has keys of its own. */
  static final Duration UNUSED_ENTRY_AGE = Duration.ofDays(30);

  CacheKey key(List<Path> protoFiles, List<Path> importRoots) {
    return CacheKey.of(buildIdentity, protoFiles, importRoots);
  }

  Path entryPath(CacheKey key) {
    return directory.resolve(key.fileName());
  }

  /** The entry stored under {@code key}, if there is a readable one. */
  Optional<CachedSchemaEntry> read(CacheKey key) {
    Path path = entryPath(key);
    try {
      CachedSchemaEntry entry = CachedSchemaFormat.decode(Files.readAllBytes(path));
      if (!entry.key().equals(key.text())) {
        debug("schema cache entry is for other files", path, "its key differs");
        return Optional.empty();
      }
      return Optional.of(entry);
    } catch (NoSuchFileException e) {
      debug("no schema cache entry", path, "none yet");
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      debug("schema cache entry unreadable", path, String.valueOf(e));
      return Optional.empty();
    }
  }

  /**
   * Stores {@code entry} under {@code key}, replacing any earlier one at once: written to a temporary
   * file in the same directory, then renamed, so that a reader sees the old entry or the new, whole.
   */
  void write(CacheKey key, CachedSchemaEntry entry) {
    Path path = entryPath(key);
    Path temporary = null;
    try {
      byte[] bytes = CachedSchemaFormat.encode(entry);
      Files.createDirectories(directory);
      removeUnusedEntries();
      temporary = Files.createTempFile(directory, key.fileName(), ".tmp");
      Files.write(temporary, bytes);
      Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      temporary = null;
      debug("schema cache entry written", path, "");
    } catch (IOException | RuntimeException e) {
      debug("schema cache entry not written", path, String.valueOf(e));
    } finally {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException e) {
          debug("temporary schema cache file left behind", temporary, String.valueOf(e));
        }
      }
    }
  }

  private void removeUnusedEntries() {
    FileTime before = FileTime.from(Instant.now().minus(UNUSED_ENTRY_AGE));
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*" + CacheKey.SUFFIX)) {
      for (Path old : entries) {
        removeIfOlder(old, before);
      }
    } catch (IOException | RuntimeException e) {
      debug("schema cache directory not cleaned up", directory, String.valueOf(e));
    }
  }

  private static void removeIfOlder(Path entry, FileTime before) {
    try {
      if (Files.getLastModifiedTime(entry).compareTo(before) < 0) {
        Files.deleteIfExists(entry);
      }
    } catch (IOException e) {
      // Another bridge removing or replacing it meanwhile is fine.
      debug("old schema cache entry not removed", entry, String.valueOf(e));
    }
  }

  static void debug(String message, Path path, String detail) {
    if (LOG.isLoggable(Level.FINE)) {
      LOG.log(Level.FINE, message, detail.isEmpty() ? Map.of("path", path.toString())
          : Map.of("path", path.toString(), "detail", detail));
    }
  }
}
