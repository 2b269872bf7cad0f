package dev.bridge.script;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The message types an {@code Any} may be unpacked to, by full name: every message type of some files
 * and of all the files they import, transitively, then protobuf-java's own well-known types (so that an
 * {@code Any} holding a {@code Timestamp} is understood even if no loaded file imports
 * {@code timestamp.proto}). Immutable.
 */
final class TypeRegistry {
  private static final List<Descriptor> BUILT_IN = List.of(
      com.google.protobuf.Timestamp.getDescriptor(),
      com.google.protobuf.Duration.getDescriptor(),
      com.google.protobuf.DoubleValue.getDescriptor(),
      com.google.protobuf.FloatValue.getDescriptor(),
      com.google.protobuf.Int64Value.getDescriptor(),
      com.google.protobuf.UInt64Value.getDescriptor(),
      com.google.protobuf.Int32Value.getDescriptor(),
      com.google.protobuf.UInt32Value.getDescriptor(),
      com.google.protobuf.BoolValue.getDescriptor(),
      com.google.protobuf.StringValue.getDescriptor(),
      com.google.protobuf.BytesValue.getDescriptor(),
      com.google.protobuf.Struct.getDescriptor(),
      com.google.protobuf.Value.getDescriptor(),
      com.google.protobuf.ListValue.getDescriptor(),
      com.google.protobuf.FieldMask.getDescriptor(),
      com.google.protobuf.Any.getDescriptor(),
      com.google.protobuf.Empty.getDescriptor());

  private final Map<String, Descriptor> byName;

  private TypeRegistry(Map<String, Descriptor> byName) {
    this.byName = byName;
  }

  /** The types of these files and of everything they import. */
  static TypeRegistry of(List<FileDescriptor> files) {
    Map<String, Descriptor> byName = new HashMap<>();
    Set<String> visited = new HashSet<>();
    Deque<FileDescriptor> pending = new ArrayDeque<>(files);
    while (!pending.isEmpty()) {
      FileDescriptor file = pending.pop();
      if (!visited.add(file.getName())) {
        continue;
      }
      for (Descriptor type : file.getMessageTypes()) {
        addWithNested(byName, type);
      }
      pending.addAll(file.getDependencies());
    }
    for (Descriptor type : BUILT_IN) {
      byName.putIfAbsent(type.getFullName(), type);
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
