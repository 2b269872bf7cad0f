package dev.bridge.typings;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import java.util.Locale;

/** Fields and methods as the .proto declares them, for the comments beside their TypeScript types. */
final class ProtoSyntax {
  private ProtoSyntax() {}

  /** {@code repeated int64 ids = 3}, {@code map<string, Item> items = 4}, {@code optional string note = 5}. */
  static String field(FieldDescriptor field) {
    String type;
    String label;
    if (field.isMapField()) {
      type = "map<" + typeName(field.getMessageType().findFieldByNumber(1)) + ", "
          + typeName(field.getMessageType().findFieldByNumber(2)) + ">";
      label = "";
    } else {
      type = typeName(field);
      label = field.isRepeated() ? "repeated "
          : field.isRequired() ? "required "
          : isOptional(field) ? "optional "
          : "";
    }
    String oneof = field.getRealContainingOneof() == null ? ""
        : " (oneof " + field.getRealContainingOneof().getName() + ")";
    return label + type + " " + field.getName() + " = " + field.getNumber() + oneof;
  }

  /** Declared {@code optional}: in proto3 explicitly, in proto2 every singular field outside a oneof. */
  private static boolean isOptional(FieldDescriptor field) {
    boolean proto2 = field.getFile().toProto().getSyntax().isEmpty()
        || field.getFile().toProto().getSyntax().equals("proto2");
    return field.getRealContainingOneof() == null && (proto2 || field.toProto().getProto3Optional());
  }

  /** {@code rpc Get(proto.GetRequest) returns (proto.GetResponse)}. */
  static String method(MethodDescriptor method) {
    return "rpc " + method.getName() + "(" + (method.isClientStreaming() ? "stream " : "")
        + method.getInputType().getFullName() + ") returns (" + (method.isServerStreaming() ? "stream " : "")
        + method.getOutputType().getFullName() + ")";
  }

  private static String typeName(FieldDescriptor field) {
    return switch (field.getType()) {
      case ENUM -> field.getEnumType().getFullName();
      case MESSAGE, GROUP -> field.getMessageType().getFullName();
      default -> field.getType().name().toLowerCase(Locale.ROOT);
    };
  }
}
