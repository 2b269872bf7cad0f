package dev.bridge.warm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Which build of the bridge a runtime runs, so that a client never talks to a runtime of another build: its id is
 * a hash of the jar's real path, size and modification time (nanoseconds), which the C client computes the same way
 * from the jar it is started beside; a rebuilt or moved jar makes another id, so another socket.
 *
 * @param id 16 hexadecimal digits
 */
public record WarmBuild(String id) {
  /** The build of the jar at {@code jar}. */
  public static WarmBuild of(Path jar) throws IOException {
    Path real = jar.toRealPath();
    long size = Files.size(real);
    long mtime = Files.getLastModifiedTime(real).to(TimeUnit.NANOSECONDS);
    return new WarmBuild(hash(real + "\n" + size + "\n" + mtime));
  }

  /** The build of the jar this class was loaded from. */
  public static WarmBuild current() throws IOException {
    try {
      Path code = Path.of(WarmBuild.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!Files.isRegularFile(code)) {
        throw new IOException("the bridge runs from " + code + ", not from its jar: the warm runtime needs the jar");
      }
      return of(code);
    } catch (java.net.URISyntaxException e) {
      throw new IOException("the bridge's jar location: " + e.getMessage(), e);
    }
  }

  /** The runtime's socket in {@code dir}. */
  public Path socket(Path dir) {
    return dir.resolve("runtime-" + id + ".sock");
  }

  /** The lock clients hold while one of them starts the runtime. */
  public Path lock(Path dir) {
    return dir.resolve("runtime-" + id + ".lock");
  }

  /** The runtime's own log (its stderr). */
  public Path log(Path dir) {
    return dir.resolve("runtime-" + id + ".log");
  }

  /** 64-bit FNV-1a of the UTF-8 bytes, in hexadecimal: short, and simple to compute the same in C. */
  static String hash(String text) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    return String.format("%016x", hash);
  }
}
