package dev.bridge.schema;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import java.util.List;

/**
 * A parsed schema as the cache keeps it: the descriptors of all its files, and where each file came
 * from with the digest of its content, to tell whether parsing again would give the same.
 *
 * @param key the {@linkplain CacheKey#text() key} it was stored under
 * @param files every file of the schema, in the parser's order
 * @param descriptors the files' descriptors, in the same order
 */
record CachedSchemaEntry(String key, List<CachedFile> files, FileDescriptorSet descriptors) {
  CachedSchemaEntry {
    files = List.copyOf(files);
  }

  /**
   * @param origin where the parser found the file
   * @param sha256 the hex SHA-256 of the content parsed; empty for a built-in file, whose content is the build's
   */
  record CachedFile(FileOrigin origin, String sha256) {}

  List<FileOrigin> origins() {
    return files.stream().map(CachedFile::origin).toList();
  }
}
