package dev.bridge.script;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.List;
import org.graalvm.polyglot.Value;

/**
 * A protobuf message as a plain JavaScript object, keyed by the field names as written in the
 * {@code .proto} file. See {@link ValueMapping} for the type rules.
 */
final class MessageToJs {
  private final JsHelpers js;

  MessageToJs(JsHelpers js) {
    this.js = js;
  }

  Value toJs(Message message) {
    Value object = js.newObject();
    for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
      if (field.isRepeated()) {
        List<?> items = (List<?>) message.getField(field);
        object.putMember(field.getName(), field.isMapField() ? mapToJs(field, items) : listToJs(field, items));
      } else if (!field.hasPresence() || message.hasField(field)) {
        object.putMember(field.getName(), singleToJs(field, message.getField(field)));
      }
    }
    return object;
  }

  private Value listToJs(FieldDescriptor field, List<?> items) {
    Value array = js.newArray();
    for (int i = 0; i < items.size(); i++) {
      array.setArrayElement(i, singleToJs(field, items.get(i)));
    }
    return array;
  }

  private Value mapToJs(FieldDescriptor field, List<?> entries) {
    FieldDescriptor keyField = field.getMessageType().findFieldByNumber(1);
    FieldDescriptor valueField = field.getMessageType().findFieldByNumber(2);
    Value object = js.newObject();
    for (Object item : entries) {
      Message entry = (Message) item;
      object.putMember(mapKey(keyField, entry.getField(keyField)), singleToJs(valueField, entry.getField(valueField)));
    }
    return object;
  }

  private static String mapKey(FieldDescriptor keyField, Object key) {
    return switch (keyField.getType()) {
      case UINT32, FIXED32 -> Integer.toUnsignedString((Integer) key);
      case UINT64, FIXED64 -> Long.toUnsignedString((Long) key);
      default -> String.valueOf(key);
    };
  }

  private Object singleToJs(FieldDescriptor field, Object value) {
    return switch (field.getType()) {
      case STRING, BOOL, DOUBLE -> value;
      case INT32, SINT32, SFIXED32 -> value;
      case UINT32, FIXED32 -> (double) Integer.toUnsignedLong((Integer) value);
      case FLOAT -> (double) (Float) value;
      case INT64, SINT64, SFIXED64 -> js.bigInt(Long.toString((Long) value));
      case UINT64, FIXED64 -> js.bigInt(Long.toUnsignedString((Long) value));
      case BYTES -> JsBytes.toJs(js, (ByteString) value);
      case ENUM -> enumToJs(field, (EnumValueDescriptor) value);
      case MESSAGE, GROUP -> toJs((Message) value);
    };
  }

  private static Object enumToJs(FieldDescriptor field, EnumValueDescriptor value) {
    EnumValueDescriptor known = field.getEnumType().findValueByNumber(value.getNumber());
    return known != null ? known.getName() : value.getNumber();
  }
}
