package dev.bridge.schema;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the parser, run now on a layout, would take each file of a schema from where it took it
 * before. A requested file is read from its root; an import from the one root that has it; a built-in
 * file only when no root has it. Both the cache's writer (is the parser's result reproducible from the
 * disk?) and its reader (is an entry still what parsing would give?) ask this.
 */
final class OriginCheck {
  private OriginCheck() {}

  /**
   * The path the parser would read {@code origin} from now; empty for a built-in file. An IOException
   * says why the parser would not take it from the same place now.
   */
  static Optional<Path> readPath(ProtoLayout layout, FileOrigin origin) throws IOException {
    if (origin.builtIn()) {
      List<Path> having = ImportLookup.rootsHaving(layout.roots(), origin.name());
      if (!having.isEmpty()) {
        throw new IOException("built-in " + origin.name() + " is shadowed by a file in " + having.getFirst());
      }
      return Optional.empty();
    }
    for (ProtoLayout.Source source : layout.sources()) {
      // Requested files are read where they are, not looked up: no other root can shadow them.
      if (source.root().toString().equals(origin.root()) && source.name().equals(origin.name())) {
        return Optional.of(ImportLookup.path(source.root(), source.name()));
      }
    }
    List<Path> having = ImportLookup.rootsHaving(layout.roots(), origin.name());
    if (having.size() != 1 || !having.getFirst().toString().equals(origin.root())) {
      throw new IOException("import " + origin.name() + " was found in " + origin.root() + ", now in "
          + (having.isEmpty() ? "no root" : having));
    }
    return Optional.of(ImportLookup.path(having.getFirst(), origin.name()));
  }

  /** Every requested file must be among the schema's, or the parser did something this check does not know. */
  static void requireEverySource(ProtoLayout layout, List<FileOrigin> origins) throws IOException {
    Set<FileOrigin> present = new HashSet<>(origins);
    for (ProtoLayout.Source source : layout.sources()) {
      if (!present.contains(new FileOrigin(source.root().toString(), source.name()))) {
        throw new IOException(source.path() + " is not among the schema's files");
      }
    }
  }
}
