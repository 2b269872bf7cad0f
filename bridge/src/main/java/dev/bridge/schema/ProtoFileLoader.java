package dev.bridge.schema;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import com.squareup.wire.schema.Location;
import com.squareup.wire.schema.ProtoFile;
import com.squareup.wire.schema.Schema;
import com.squareup.wire.schema.SchemaException;
import com.squareup.wire.schema.SchemaLoader;
import com.squareup.wire.schema.internal.SchemaEncoder;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses {@code .proto} source files at run time, so users never run protoc. Wire's parser does the
 * reading and linking; its encoder turns each file into the same FileDescriptorProto protoc would write.
 * Imports are looked up in the import roots, then in each proto's own directory; the well-known types
 * ({@code google/protobuf/*.proto}) are built in.
 */
public final class ProtoFileLoader {
  public ProtoSchema load(List<Path> protoFiles, List<Path> importRoots) throws SchemaLoadException {
    if (protoFiles.isEmpty()) {
      throw new SchemaLoadException("no .proto file given");
    }
    List<Location> sources = new ArrayList<>();
    Set<Path> roots = new LinkedHashSet<>();
    for (Path root : importRoots) {
      Path absolute = root.toAbsolutePath().normalize();
      if (!Files.isDirectory(absolute)) {
        throw new SchemaLoadException(root + ": proto import path is not a directory");
      }
      roots.add(absolute);
    }
    for (Path file : protoFiles) {
      Path absolute = file.toAbsolutePath().normalize();
      if (!Files.isRegularFile(absolute)) {
        throw new SchemaLoadException(file + ": no such .proto file");
      }
      Path root = roots.stream().filter(absolute::startsWith).findFirst().orElse(absolute.getParent());
      roots.add(root);
      sources.add(Location.get(root.toString(), root.relativize(absolute).toString()));
    }
    String source = String.join(", ", protoFiles.stream().map(Path::toString).toList());
    Schema schema = parse(sources, roots, source);
    return new ProtoSchema(encode(schema, sources, source), source, filesOnDisk(schema));
  }

  /** The files Wire read from disk: the given ones and their imports, not its built-in well-known types. */
  private static List<Path> filesOnDisk(Schema schema) {
    List<Path> paths = new ArrayList<>();
    for (ProtoFile file : schema.getProtoFiles()) {
      Location location = file.getLocation();
      Path path = Path.of(location.getBase()).resolve(location.getPath()).toAbsolutePath().normalize();
      if (Files.isRegularFile(path)) {
        paths.add(path);
      }
    }
    return paths;
  }

  private static Schema parse(List<Location> sources, Set<Path> roots, String source) throws SchemaLoadException {
    var loader = new SchemaLoader(FileSystems.getDefault());
    // Without exhaustive loading Wire keeps only the names of types it reaches through imports, not
    // their fields: an imported message (a Timestamp, a shared Item) would arrive empty.
    loader.setLoadExhaustively(true);
    loader.initRoots(sources, roots.stream().map(root -> Location.get(root.toString())).toList());
    try {
      return loader.loadSchema();
    } catch (SchemaException e) {
      throw new SchemaLoadException(e.getMessage().strip(), e);
    } catch (IllegalStateException | IllegalArgumentException | UncheckedIOException e) {
      // Wire reports syntax errors as IllegalStateException with "Syntax error in <file>:<line>:<col>".
      throw new SchemaLoadException(e.getMessage() == null ? source + ": " + e : e.getMessage().strip(), e);
    }
  }

  private static List<com.google.protobuf.Descriptors.FileDescriptor> encode(
      Schema schema, List<Location> sources, String source) throws SchemaLoadException {
    var encoder = new SchemaEncoder(schema);
    List<FileDescriptorProto> protos = new ArrayList<>();
    for (ProtoFile file : schema.getProtoFiles()) {
      try {
        protos.add(FileDescriptorProto.parseFrom(encoder.encode(file).toByteArray()));
      } catch (InvalidProtocolBufferException e) {
        throw new SchemaLoadException(file.getLocation().getPath() + ": cannot encode descriptor: " + e.getMessage(), e);
      }
    }
    List<String> wanted = sources.stream().map(Location::getPath).toList();
    return FileDescriptors.link(protos, wanted, source);
  }
}
