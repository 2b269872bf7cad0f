package dev.bridge.schema;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the parser found one file of a schema, as Wire records it: the import root it was found under
 * and its name there (its import name), or no root for one of Wire's built-in files.
 *
 * @param root the import root as a string, empty for a built-in file
 * @param name the file's name relative to the root, e.g. {@code kv.proto}, {@code google/protobuf/timestamp.proto}
 */
public record FileOrigin(String root, String name) {
  public boolean builtIn() {
    return root.isEmpty();
  }

  /**
   * The files on disk that {@code origins} name: what dev mode watches. Computed from the origins alone,
   * so a schema from the cache reports what the same schema parsed reports.
   */
  static List<Path> watched(List<FileOrigin> origins) {
    List<Path> paths = new ArrayList<>();
    for (FileOrigin origin : origins) {
      if (origin.builtIn()) {
        continue;
      }
      Path path = Path.of(origin.root()).resolve(origin.name()).toAbsolutePath().normalize();
      if (Files.isRegularFile(path)) {
        paths.add(path);
      }
    }
    return paths;
  }
}
