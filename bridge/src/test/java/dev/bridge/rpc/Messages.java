package dev.bridge.rpc;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.StringValue;
import java.util.List;

/**
 * Messages of one string field for call-model tests: a {@code google.protobuf.StringValue}, which needs no schema
 * of its own, or any type whose first field is a string.
 */
public final class Messages {
  private Messages() {}

  static DynamicMessage text(String value) {
    return text(StringValue.getDescriptor(), value);
  }

  /** A {@code type} whose first field is {@code value}. */
  public static DynamicMessage text(Descriptor type, String value) {
    return DynamicMessage.newBuilder(type).setField(type.getFields().getFirst(), value).build();
  }

  /** The first field. */
  public static String text(DynamicMessage message) {
    return (String) message.getField(message.getDescriptorForType().getFields().getFirst());
  }

  static List<String> texts(List<DynamicMessage> messages) {
    return messages.stream().map(Messages::text).toList();
  }
}
