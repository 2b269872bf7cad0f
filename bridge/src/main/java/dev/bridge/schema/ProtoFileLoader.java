package dev.bridge.schema;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import com.squareup.wire.schema.Location;
import com.squareup.wire.schema.ProtoFile;
import com.squareup.wire.schema.Schema;
import com.squareup.wire.schema.SchemaException;
import com.squareup.wire.schema.SchemaLoader;
import com.squareup.wire.schema.internal.SchemaEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code .proto} source files at run time, so users never run protoc. Wire's parser does the
 * reading and linking; its encoder turns each file into the same FileDescriptorProto protoc would write.
 * Imports are looked up in the import roots, then in each proto's own directory ({@link ProtoLayout});
 * the well-known types ({@code google/protobuf/*.proto}) are built in.
 *
 * <p>The only class that uses Wire: a start whose schema comes from the cache never loads it.
 */
public final class ProtoFileLoader implements ProtoParser {
  public ProtoSchema load(List<Path> protoFiles, List<Path> importRoots) throws SchemaLoadException {
    ProtoLayout layout = ProtoLayout.of(protoFiles, importRoots);
    return parse(layout).schema(layout);
  }

  @Override
  public ParsedProtos parse(ProtoLayout layout) throws SchemaLoadException {
    FileReads reads = new FileReads();
    Schema schema = parse(layout, reads);
    List<FileDescriptorProto> descriptors = new ArrayList<>();
    List<FileOrigin> origins = new ArrayList<>();
    var encoder = new SchemaEncoder(schema);
    for (ProtoFile file : schema.getProtoFiles()) {
      Location location = file.getLocation();
      try {
        descriptors.add(FileDescriptorProto.parseFrom(encoder.encode(file).toByteArray()));
      } catch (InvalidProtocolBufferException e) {
        throw new SchemaLoadException(location.getPath() + ": cannot encode descriptor: " + e.getMessage(), e);
      }
      origins.add(new FileOrigin(location.getBase(), location.getPath()));
    }
    return new ParsedProtos(descriptors, origins, reads);
  }

  private static Schema parse(ProtoLayout layout, FileReads reads) throws SchemaLoadException {
    var loader = new SchemaLoader(new RecordingFileSystem(okio.FileSystem.get(FileSystems.getDefault()), reads));
    // Without exhaustive loading Wire keeps only the names of types it reaches through imports, not
    // their fields: an imported message (a Timestamp, a shared Item) would arrive empty.
    loader.setLoadExhaustively(true);
    List<Location> sources = layout.sources().stream()
        .map(source -> Location.get(source.root().toString(), source.name())).toList();
    loader.initRoots(sources, layout.roots().stream().map(root -> Location.get(root.toString())).toList());
    try {
      return loader.loadSchema();
    } catch (SchemaException e) {
      throw new SchemaLoadException(e.getMessage().strip(), e);
    } catch (IllegalStateException | IllegalArgumentException | UncheckedIOException e) {
      // Wire reports syntax errors as IllegalStateException with "Syntax error in <file>:<line>:<col>".
      throw new SchemaLoadException(e.getMessage() == null ? layout.description() + ": " + e : e.getMessage().strip(), e);
    } catch (Exception e) {
      // Kotlin throws IOExceptions undeclared: "Failed to load <file>" for a file found but unreadable.
      if (e instanceof IOException) {
        throw new SchemaLoadException(e.getMessage() + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()), e);
      }
      throw e;
    }
  }
}
