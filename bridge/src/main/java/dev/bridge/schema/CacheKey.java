package dev.bridge.schema;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * What a cache entry is for: everything that decides what parsing gives apart from the files' contents
 * (which the entry records and checks): the entry format, the build of the bridge (Wire's parser and
 * encoder are in it), the requested files and the import roots, in order.
 *
 * @param text all of that, spelled out; stored in the entry too, so a hash collision cannot serve another schema
 */
record CacheKey(String text) {
  static final String SUFFIX = ".schema";

  static CacheKey of(String buildIdentity, List<Path> protoFiles, List<Path> importRoots) {
    StringBuilder text = new StringBuilder();
    append(text, "format", String.valueOf(CachedSchemaFormat.VERSION));
    append(text, "build", buildIdentity);
    for (Path file : protoFiles) {
      append(text, "proto", file.toAbsolutePath().normalize().toString());
    }
    for (Path root : importRoots) {
      append(text, "root", root.toAbsolutePath().normalize().toString());
    }
    return new CacheKey(text.toString());
  }

  /** The entry's file name: the key's hash, one file per key. */
  String fileName() {
    return Sha256.hex(text.getBytes(StandardCharsets.UTF_8)) + SUFFIX;
  }

  // Length-prefixed, so that no path, whatever characters it holds, can read as two.
  private static void append(StringBuilder text, String field, String value) {
    text.append(field).append(' ').append(value.length()).append(':').append(value).append('\n');
  }
}
