package dev.bridge.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * What a set of files contained at one moment, as digests: the contents a loaded version was made
 * from, which a {@link FileWatcher} compares later contents with. Taken before a file is read, a
 * digest is never newer than what was loaded, so an edit saved while loading is seen as a change.
 */
public final class FileDigests {
  private static final Logger LOG = Logger.getLogger("dev.bridge.reload");
  /** The digest of a file that is missing or cannot be read. */
  static final String UNREADABLE = "";

  private final Map<Path, String> digests;

  private FileDigests(Map<Path, String> digests) {
    this.digests = Map.copyOf(digests);
  }

  /** The files' contents now. */
  public static FileDigests read(Collection<Path> files) {
    Map<Path, String> digests = new LinkedHashMap<>();
    for (Path file : files) {
      Path key = key(file);
      digests.put(key, of(key));
    }
    return new FileDigests(digests);
  }

  /** Digests taken by whoever read the files (see {@link #of}). */
  public static FileDigests of(Map<Path, String> digests) {
    Map<Path, String> keyed = new LinkedHashMap<>();
    digests.forEach((file, digest) -> keyed.put(key(file), digest));
    return new FileDigests(keyed);
  }

  /**
   * These digests, and for the other files of {@code files} their contents now: the earliest digest
   * of each file is the one that counts.
   */
  public FileDigests andNow(Collection<Path> files) {
    Map<Path, String> all = new LinkedHashMap<>(digests);
    for (Path file : files) {
      all.computeIfAbsent(key(file), FileDigests::of);
    }
    return new FileDigests(all);
  }

  /** These digests, and those of {@code later} for files these do not cover. */
  public FileDigests and(FileDigests later) {
    Map<Path, String> all = new LinkedHashMap<>(later.digests);
    all.putAll(digests);
    return new FileDigests(all);
  }

  /** Only the digests of these files. */
  public FileDigests only(Collection<Path> files) {
    Set<Path> keep = files.stream().map(FileDigests::key).collect(java.util.stream.Collectors.toSet());
    Map<Path, String> kept = new LinkedHashMap<>(digests);
    kept.keySet().retainAll(keep);
    return new FileDigests(kept);
  }

  public Set<Path> files() {
    return digests.keySet();
  }

  Map<Path, String> asMap() {
    return digests;
  }

  /** A digest of the file's contents; {@link #UNREADABLE} when it cannot be read (missing, mid-rename). */
  public static String of(Path file) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchFileException e) {
      return UNREADABLE;
    } catch (IOException e) {
      LOG.fine(() -> "cannot read " + file + ": " + e);
      return UNREADABLE;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static Path key(Path file) {
    return file.toAbsolutePath().normalize();
  }

  @Override
  public String toString() {
    return "FileDigests" + digests.keySet();
  }
}
