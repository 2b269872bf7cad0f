package dev.bridge.schema;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import java.util.List;

/**
 * What parsing a layout's files produced, before linking: every file of the schema (the requested ones,
 * their imports, and the built-in files used) with where it came from, and what was read to get it.
 *
 * @param descriptors each file's descriptor, as protoc would write it
 * @param origins where each file came from, in the same order
 * @param reads the digests of the files read
 */
public record ParsedProtos(List<FileDescriptorProto> descriptors, List<FileOrigin> origins, FileReads reads) {
  public ParsedProtos {
    descriptors = List.copyOf(descriptors);
    origins = List.copyOf(origins);
    if (descriptors.size() != origins.size()) {
      throw new IllegalArgumentException(descriptors.size() + " descriptors but " + origins.size() + " origins");
    }
  }

  /** The linked schema of the requested files; a file that does not link is an error here. */
  ProtoSchema schema(ProtoLayout layout) throws SchemaLoadException {
    return link(descriptors, origins, layout);
  }

  /** Links descriptors into the schema of the layout's requested files; cached ones take this way too. */
  static ProtoSchema link(List<FileDescriptorProto> descriptors, List<FileOrigin> origins, ProtoLayout layout)
      throws SchemaLoadException {
    List<String> requested = layout.sources().stream().map(ProtoLayout.Source::name).toList();
    return new ProtoSchema(FileDescriptors.link(descriptors, requested, layout.description()), layout.description(),
        FileOrigin.watched(origins));
  }
}
