package dev.bridge.typings;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import dev.bridge.schema.ProtoFileLoader;
import dev.bridge.schema.ProtoSchema;
import dev.bridge.schema.SchemaLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The protos the declarations are tested with, loaded as the bridge loads them. */
final class TestSchemas {
  static final Path RESOURCES = Path.of("src/test/resources");
  static final ProtoSchema EVERYTHING = load("mapping/everything.proto");
  static final ProtoSchema LEGACY = load("mapping/legacy.proto");
  static final ProtoSchema SHADOWING = load("typings/shadowing.proto");
  static final ProtoSchema SHAPES = load("typings/shapes.proto");
  static final ProtoSchema KV = loadFile(Path.of("../proto/kv.proto"));

  private TestSchemas() {}

  static ProtoSchema load(String resource) {
    return loadFile(RESOURCES.resolve(resource));
  }

  static ProtoSchema loadFile(Path file) {
    try {
      return new ProtoFileLoader().load(List.of(file), List.of(file.getParent()));
    } catch (SchemaLoadException e) {
      throw new AssertionError(e);
    }
  }

  /** A proto written to a directory and loaded. */
  static ProtoSchema of(Path dir, String name, String source) throws Exception {
    return loadFile(Files.writeString(dir.resolve(name), source));
  }

  static FieldDescriptor field(ProtoSchema schema, String message, String field) {
    Descriptor type = message(schema, message);
    FieldDescriptor found = type.findFieldByName(field);
    if (found == null) {
      throw new AssertionError("no field " + field + " in " + message);
    }
    return found;
  }

  static Descriptor message(ProtoSchema schema, String fullName) {
    for (FileDescriptor file : schema.files()) {
      Descriptor found = find(file, fullName);
      if (found != null) {
        return found;
      }
    }
    throw new AssertionError("no message " + fullName);
  }

  private static Descriptor find(FileDescriptor file, String fullName) {
    if (!file.getPackage().isEmpty() && !fullName.startsWith(file.getPackage() + ".")) {
      return null;
    }
    String local = file.getPackage().isEmpty() ? fullName : fullName.substring(file.getPackage().length() + 1);
    String[] parts = local.split("\\.");
    Descriptor type = file.findMessageTypeByName(parts[0]);
    for (int i = 1; type != null && i < parts.length; i++) {
      type = type.findNestedTypeByName(parts[i]);
    }
    return type;
  }

  /** The whole declaration file for a schema's services. */
  static String declarations(ProtoSchema schema) {
    return Typings.generate(schema.files(), schema.services(), "./plugin").text();
  }
}
