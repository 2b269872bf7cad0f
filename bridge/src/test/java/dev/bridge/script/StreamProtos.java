package dev.bridge.script;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;

/** The streaming example's shapes ({@code streams.Inventory}: Get, Count, Sum, Echo), built in code for the tests. */
final class StreamProtos {
  static final FileDescriptor FILE = build();
  static final MethodDescriptor GET = method("Get");
  static final MethodDescriptor COUNT = method("Count");
  static final MethodDescriptor SUM = method("Sum");
  static final MethodDescriptor ECHO = method("Echo");

  private StreamProtos() {}

  static MethodDescriptor method(String name) {
    return FILE.findServiceByName("Inventory").findMethodByName(name);
  }

  static Descriptor message(String name) {
    return FILE.findMessageTypeByName(name);
  }

  /** {@code {count, tag}}. */
  static DynamicMessage countRequest(long count, String tag) {
    Descriptor type = message("CountRequest");
    return DynamicMessage.newBuilder(type).setField(type.findFieldByName("count"), count)
        .setField(type.findFieldByName("tag"), tag).build();
  }

  /** {@code {name, n}}. */
  static DynamicMessage item(String name, long n) {
    Descriptor type = message("Item");
    return DynamicMessage.newBuilder(type).setField(type.findFieldByName("name"), name)
        .setField(type.findFieldByName("n"), n).build();
  }

  /** {@code {seq}}. */
  static DynamicMessage ping(long seq) {
    Descriptor type = message("Ping");
    return DynamicMessage.newBuilder(type).setField(type.findFieldByName("seq"), seq).build();
  }

  /** A field of a message, by name. */
  static Object field(DynamicMessage message, String name) {
    return message.getField(message.getDescriptorForType().findFieldByName(name));
  }

  private static FieldDescriptorProto.Builder field(String name, int number, Type type) {
    return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type).setLabel(Label.LABEL_OPTIONAL);
  }

  private static MethodDescriptorProto.Builder rpc(String name, String in, String out, boolean clientStreams,
      boolean serverStreams) {
    return MethodDescriptorProto.newBuilder().setName(name).setInputType(".streams." + in).setOutputType(".streams." + out)
        .setClientStreaming(clientStreams).setServerStreaming(serverStreams);
  }

  private static FileDescriptor build() {
    FileDescriptorProto proto = FileDescriptorProto.newBuilder()
        .setName("test/streams.proto")
        .setPackage("streams")
        .setSyntax("proto3")
        .addMessageType(DescriptorProto.newBuilder().setName("Item")
            .addField(field("name", 1, Type.TYPE_STRING))
            .addField(field("n", 2, Type.TYPE_INT64))
            .addField(field("payload", 3, Type.TYPE_BYTES)))
        .addMessageType(DescriptorProto.newBuilder().setName("CountRequest")
            .addField(field("count", 1, Type.TYPE_INT64))
            .addField(field("tag", 2, Type.TYPE_STRING)))
        .addMessageType(DescriptorProto.newBuilder().setName("Summary")
            .addField(field("count", 1, Type.TYPE_INT64))
            .addField(field("total", 2, Type.TYPE_INT64))
            .addField(field("names", 3, Type.TYPE_STRING)))
        .addMessageType(DescriptorProto.newBuilder().setName("Ping")
            .addField(field("seq", 1, Type.TYPE_INT64))
            .addField(field("payload", 2, Type.TYPE_BYTES)))
        .addService(ServiceDescriptorProto.newBuilder().setName("Inventory")
            .addMethod(rpc("Get", "CountRequest", "Item", false, false))
            .addMethod(rpc("Count", "CountRequest", "Item", false, true))
            .addMethod(rpc("Sum", "Item", "Summary", true, false))
            .addMethod(rpc("Echo", "Ping", "Ping", true, true)))
        .build();
    try {
      return FileDescriptor.buildFrom(proto, new FileDescriptor[0]);
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException(e);
    }
  }
}
