package dev.bridge.schema;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where the requested {@code .proto} files sit and where their imports are looked up: the import roots
 * as given, then the directory of each requested file that is under none of them. Both the parser and
 * the schema cache work from this one layout, so a cached schema is checked against the same roots, in
 * the same order, as the parser searches.
 *
 * @param roots the import roots in search order, absolute and normalized, each once
 * @param sources the requested files, in the order given, each relative to the root it is under
 * @param description the requested files as given, for messages
 */
public record ProtoLayout(List<Path> roots, List<Source> sources, String description) {
  public ProtoLayout {
    roots = List.copyOf(roots);
    sources = List.copyOf(sources);
  }

  /**
   * A requested file: its root and its name relative to it, which is also the name other files import
   * it by.
   */
  public record Source(Path root, String name) {
    public Path path() {
      return root.resolve(name);
    }
  }

  public static ProtoLayout of(List<Path> protoFiles, List<Path> importRoots) throws SchemaLoadException {
    if (protoFiles.isEmpty()) {
      throw new SchemaLoadException("no .proto file given");
    }
    Set<Path> roots = new LinkedHashSet<>();
    for (Path root : importRoots) {
      Path absolute = root.toAbsolutePath().normalize();
      if (!Files.isDirectory(absolute)) {
        throw new SchemaLoadException(root + ": proto import path is not a directory");
      }
      roots.add(absolute);
    }
    List<Source> sources = new ArrayList<>();
    for (Path file : protoFiles) {
      Path absolute = file.toAbsolutePath().normalize();
      if (!Files.isRegularFile(absolute)) {
        throw new SchemaLoadException(file + ": no such .proto file");
      }
      Path root = roots.stream().filter(absolute::startsWith).findFirst().orElse(absolute.getParent());
      roots.add(root);
      sources.add(new Source(root, root.relativize(absolute).toString()));
    }
    String description = String.join(", ", protoFiles.stream().map(Path::toString).toList());
    return new ProtoLayout(List.copyOf(roots), sources, description);
  }
}
