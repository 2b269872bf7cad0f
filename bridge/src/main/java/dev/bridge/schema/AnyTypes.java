package dev.bridge.schema;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What an {@code Any} in a plugin's messages may hold, for handlers and for {@code bridgejs call} alike:
 * a message type of the loaded files or of any file they import, transitively, or one of protobuf-java's
 * own well-known types (so that an {@code Any} holding a {@code Timestamp} is understood even if no
 * loaded file imports {@code timestamp.proto}).
 */
public final class AnyTypes {
  /** The well-known message types, which come after the loaded files': a loaded file of the same name wins. */
  public static final List<Descriptor> WELL_KNOWN = List.of(
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

  /**
   * The {@code google.rpc} error detail types ({@code error_details.proto}), which an {@code RpcError}'s
   * details (and any {@code Any}) may hold even if no loaded file imports them; a loaded file's win.
   */
  public static final List<Descriptor> ERROR_DETAILS =
      com.google.rpc.ErrorDetailsProto.getDescriptor().getMessageTypes();

  private AnyTypes() {}

  /** The files and every file they import, transitively, each once: the given ones first, then breadth first. */
  public static List<FileDescriptor> filesWithImports(List<FileDescriptor> files) {
    List<FileDescriptor> all = new ArrayList<>();
    Set<String> visited = new HashSet<>();
    Deque<FileDescriptor> pending = new ArrayDeque<>(files);
    while (!pending.isEmpty()) {
      FileDescriptor file = pending.pop();
      if (visited.add(file.getName())) {
        all.add(file);
        pending.addAll(file.getDependencies());
      }
    }
    return all;
  }
}
