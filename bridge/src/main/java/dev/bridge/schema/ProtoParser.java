package dev.bridge.schema;

/** Parses the {@code .proto} files of a layout. */
@FunctionalInterface
public interface ProtoParser {
  ParsedProtos parse(ProtoLayout layout) throws SchemaLoadException;

  /**
   * Wire's parser ({@link ProtoFileLoader}), created at the first parse: until then no class of Wire,
   * Kotlin or okio is loaded, which is what a start served from the schema cache saves.
   */
  static ProtoParser wire() {
    return layout -> new ProtoFileLoader().parse(layout);
  }
}
