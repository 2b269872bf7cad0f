package dev.bridge.script;

import com.google.protobuf.Descriptors.Descriptor;
import java.util.Map;

/**
 * The {@code google.protobuf} message types with a JavaScript form of their own (see
 * {@link ValueMapping}). Recognised by full name, never by descriptor identity: descriptors loaded from
 * {@code .proto} files at run time are other instances than protobuf-java's compiled ones. Public for
 * the TypeScript declarations ({@code dev.bridge.typings}), which must recognise exactly the same types.
 */
public enum WellKnownType {
  /** Any other message: a plain object of its fields. */
  NONE,
  TIMESTAMP,
  DURATION,
  /** {@code google.protobuf.*Value} wrappers of one scalar {@code value} field. */
  WRAPPER,
  STRUCT,
  VALUE,
  LIST_VALUE,
  FIELD_MASK,
  ANY,
  /** Mapped as any message ({@code {}}), but packed into an {@code Any} with {@code value}, as in proto3 JSON. */
  EMPTY;

  private static final Map<String, WellKnownType> BY_NAME = Map.ofEntries(
      Map.entry("google.protobuf.Timestamp", TIMESTAMP),
      Map.entry("google.protobuf.Duration", DURATION),
      Map.entry("google.protobuf.DoubleValue", WRAPPER),
      Map.entry("google.protobuf.FloatValue", WRAPPER),
      Map.entry("google.protobuf.Int64Value", WRAPPER),
      Map.entry("google.protobuf.UInt64Value", WRAPPER),
      Map.entry("google.protobuf.Int32Value", WRAPPER),
      Map.entry("google.protobuf.UInt32Value", WRAPPER),
      Map.entry("google.protobuf.BoolValue", WRAPPER),
      Map.entry("google.protobuf.StringValue", WRAPPER),
      Map.entry("google.protobuf.BytesValue", WRAPPER),
      Map.entry("google.protobuf.Struct", STRUCT),
      Map.entry("google.protobuf.Value", VALUE),
      Map.entry("google.protobuf.ListValue", LIST_VALUE),
      Map.entry("google.protobuf.FieldMask", FIELD_MASK),
      Map.entry("google.protobuf.Any", ANY),
      Map.entry("google.protobuf.Empty", EMPTY));

  /**
   * The kind of a message type. A well-known type's descriptor without its fields (as a schema loader
   * that prunes imported files may produce) is mapped as a plain message rather than failing.
   */
  public static WellKnownType of(Descriptor type) {
    WellKnownType kind = BY_NAME.getOrDefault(type.getFullName(), NONE);
    return kind == EMPTY || kind == NONE || type.findFieldByNumber(1) != null ? kind : NONE;
  }

  /** Whether an {@code Any} holding this type puts its JS form under {@code value} (proto3 JSON's rule). */
  boolean packedUnderValue() {
    return this != NONE;
  }
}
