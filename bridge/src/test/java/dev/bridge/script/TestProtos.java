package dev.bridge.script;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;

/**
 * Descriptors mirroring the KV example plugin's proto ({@code package proto}), plus a {@code Rich}
 * message covering the mapping rules, served by {@code proto.Mapping/Echo}.
 */
final class TestProtos {
  static final FileDescriptor FILE = build();

  static final MethodDescriptor GET = method("KV", "Get");
  static final MethodDescriptor PUT = method("KV", "Put");
  static final MethodDescriptor ECHO = method("Mapping", "Echo");

  private TestProtos() {}

  static Descriptor message(String name) {
    return FILE.findMessageTypeByName(name);
  }

  static MethodDescriptor method(String service, String name) {
    return FILE.findServiceByName(service).findMethodByName(name);
  }

  private static FieldDescriptorProto.Builder field(String name, int number, Type type) {
    return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
        .setLabel(Label.LABEL_OPTIONAL);
  }

  private static FieldDescriptorProto.Builder messageField(String name, int number, String typeName) {
    return field(name, number, Type.TYPE_MESSAGE).setTypeName(typeName);
  }

  private static DescriptorProto mapEntry(String name, Type keyType, Type valueType, String valueTypeName) {
    FieldDescriptorProto.Builder value = field("value", 2, valueType);
    if (valueTypeName != null) {
      value.setTypeName(valueTypeName);
    }
    return DescriptorProto.newBuilder().setName(name)
        .addField(field("key", 1, keyType))
        .addField(value)
        .setOptions(MessageOptions.newBuilder().setMapEntry(true))
        .build();
  }

  private static FileDescriptor build() {
    FileDescriptorProto proto = FileDescriptorProto.newBuilder()
        .setName("test/kv.proto")
        .setPackage("proto")
        .setSyntax("proto3")
        .addMessageType(DescriptorProto.newBuilder().setName("GetRequest").addField(field("key", 1, Type.TYPE_STRING)))
        .addMessageType(DescriptorProto.newBuilder().setName("GetResponse").addField(field("value", 1, Type.TYPE_BYTES)))
        .addMessageType(DescriptorProto.newBuilder().setName("PutRequest")
            .addField(field("key", 1, Type.TYPE_STRING))
            .addField(field("value", 2, Type.TYPE_BYTES)))
        .addMessageType(DescriptorProto.newBuilder().setName("Empty"))
        .addEnumType(EnumDescriptorProto.newBuilder().setName("Color")
            .addValue(EnumValueDescriptorProto.newBuilder().setName("COLOR_UNSPECIFIED").setNumber(0))
            .addValue(EnumValueDescriptorProto.newBuilder().setName("RED").setNumber(1))
            .addValue(EnumValueDescriptorProto.newBuilder().setName("GREEN").setNumber(2)))
        .addMessageType(DescriptorProto.newBuilder().setName("Inner")
            .addField(field("name", 1, Type.TYPE_STRING))
            .addField(field("n", 2, Type.TYPE_INT32)))
        .addMessageType(DescriptorProto.newBuilder().setName("Rich")
            .addField(field("s", 1, Type.TYPE_STRING))
            .addField(field("b", 2, Type.TYPE_BYTES))
            .addField(field("flag", 3, Type.TYPE_BOOL))
            .addField(field("i32", 4, Type.TYPE_INT32))
            .addField(field("u32", 5, Type.TYPE_UINT32))
            .addField(field("s32", 6, Type.TYPE_SINT32))
            .addField(field("f32", 7, Type.TYPE_FIXED32))
            .addField(field("sf32", 8, Type.TYPE_SFIXED32))
            .addField(field("f", 9, Type.TYPE_FLOAT))
            .addField(field("d", 10, Type.TYPE_DOUBLE))
            .addField(field("i64", 11, Type.TYPE_INT64))
            .addField(field("u64", 12, Type.TYPE_UINT64))
            .addField(field("s64", 13, Type.TYPE_SINT64))
            .addField(field("f64", 14, Type.TYPE_FIXED64))
            .addField(field("sf64", 15, Type.TYPE_SFIXED64))
            .addField(field("color", 16, Type.TYPE_ENUM).setTypeName(".proto.Color"))
            .addField(messageField("inner", 17, ".proto.Inner"))
            .addField(messageField("items", 18, ".proto.Inner").setLabel(Label.LABEL_REPEATED))
            .addField(field("tags", 19, Type.TYPE_STRING).setLabel(Label.LABEL_REPEATED))
            .addField(messageField("counts", 20, ".proto.Rich.CountsEntry").setLabel(Label.LABEL_REPEATED))
            .addField(messageField("by_id", 21, ".proto.Rich.ByIdEntry").setLabel(Label.LABEL_REPEATED))
            .addField(field("ids", 22, Type.TYPE_INT64).setLabel(Label.LABEL_REPEATED))
            .addField(field("maybe", 23, Type.TYPE_STRING).setProto3Optional(true).setOneofIndex(1))
            .addField(field("text", 24, Type.TYPE_STRING).setOneofIndex(0))
            .addField(field("number", 25, Type.TYPE_INT32).setOneofIndex(0))
            .addOneofDecl(OneofDescriptorProto.newBuilder().setName("choice"))
            .addOneofDecl(OneofDescriptorProto.newBuilder().setName("_maybe"))
            .addNestedType(mapEntry("CountsEntry", Type.TYPE_STRING, Type.TYPE_INT32, null))
            .addNestedType(mapEntry("ByIdEntry", Type.TYPE_INT32, Type.TYPE_MESSAGE, ".proto.Inner")))
        .addService(ServiceDescriptorProto.newBuilder().setName("KV")
            .addMethod(MethodDescriptorProto.newBuilder().setName("Get")
                .setInputType(".proto.GetRequest").setOutputType(".proto.GetResponse"))
            .addMethod(MethodDescriptorProto.newBuilder().setName("Put")
                .setInputType(".proto.PutRequest").setOutputType(".proto.Empty")))
        .addService(ServiceDescriptorProto.newBuilder().setName("Mapping")
            .addMethod(MethodDescriptorProto.newBuilder().setName("Echo")
                .setInputType(".proto.Rich").setOutputType(".proto.Rich"))
            .addMethod(MethodDescriptorProto.newBuilder().setName("Inspect")
                .setInputType(".proto.Rich").setOutputType(".proto.GetResponse")))
        .build();
    try {
      return FileDescriptor.buildFrom(proto, new FileDescriptor[0]);
    } catch (DescriptorValidationException e) {
      throw new AssertionError(e);
    }
  }
}
