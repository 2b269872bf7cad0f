package dev.bridge.rpc;

import com.google.protobuf.DynamicMessage;
import com.google.protobuf.StringValue;
import java.util.List;

/** Messages for call-model tests that need no schema of their own: a {@code google.protobuf.StringValue}. */
final class Messages {
  private Messages() {}

  static DynamicMessage text(String value) {
    var type = StringValue.getDescriptor();
    return DynamicMessage.newBuilder(type).setField(type.findFieldByName("value"), value).build();
  }

  static String text(DynamicMessage message) {
    return (String) message.getField(message.getDescriptorForType().findFieldByName("value"));
  }

  static List<String> texts(List<DynamicMessage> messages) {
    return messages.stream().map(Messages::text).toList();
  }
}
