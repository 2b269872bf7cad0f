package dev.bridge.script;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import dev.bridge.schema.AnyTypes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The message types an {@code Any} may be unpacked to ({@link AnyTypes}), by full name. Immutable.
 */
final class TypeRegistry {
  private final Map<String, Descriptor> byName;

  private TypeRegistry(Map<String, Descriptor> byName) {
    this.byName = byName;
  }

  /** The types of these files and of everything they import. */
  static TypeRegistry of(List<FileDescriptor> files) {
    Map<String, Descriptor> byName = new HashMap<>();
    for (FileDescriptor file : AnyTypes.filesWithImports(files)) {
      for (Descriptor type : file.getMessageTypes()) {
        addWithNested(byName, type);
      }
    }
    for (Descriptor type : AnyTypes.WELL_KNOWN) {
      byName.putIfAbsent(type.getFullName(), type);
    }
    for (Descriptor type : AnyTypes.ERROR_DETAILS) {
      addWithNested(byName, type);
    }
    return new TypeRegistry(Map.copyOf(byName));
  }

  private static void addWithNested(Map<String, Descriptor> byName, Descriptor type) {
    byName.putIfAbsent(type.getFullName(), type);
    for (Descriptor nested : type.getNestedTypes()) {
      addWithNested(byName, nested);
    }
  }

  /**
   * The type an {@code Any}'s {@code type_url} names: the part after its last {@code /}, whatever the
   * host part ({@code type.googleapis.com/pkg.Msg} and {@code example.com/x/pkg.Msg} both name
   * {@code pkg.Msg}).
   */
  Optional<Descriptor> forTypeUrl(String typeUrl) {
    return Optional.ofNullable(byName.get(typeUrl.substring(typeUrl.lastIndexOf('/') + 1)));
  }
}
