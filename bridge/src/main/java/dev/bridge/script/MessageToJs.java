package dev.bridge.script;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.util.List;
import java.util.Optional;
import org.graalvm.polyglot.Value;

/**
 * A protobuf message as a plain JavaScript object, keyed by the field names as written in the
 * {@code .proto} file, and the well-known types as native values. See {@link ValueMapping} for the
 * type rules. One instance per mapping (it holds the {@link TypeRegistry} for {@code Any}).
 */
final class MessageToJs {
  private final JsHelpers js;
  private final TypeRegistry types;

  MessageToJs(JsHelpers js, TypeRegistry types) {
    this.js = js;
    this.types = types;
  }

  /** A whole message: a plain object, or the native value of a well-known type. */
  Value toJs(Message message) {
    Object value = messageToJs(message);
    return value instanceof Value v ? v : Value.asValue(value);
  }

  /** A {@link Value}, or a Java string/number/boolean/null that becomes the JS primitive. */
  private Object messageToJs(Message message) {
    return switch (WellKnownType.of(message.getDescriptorForType())) {
      case NONE, EMPTY -> fieldsToJs(message, js.newObject());
      case TIMESTAMP -> WellKnown.timestampToJs(js, message);
      case DURATION -> WellKnown.durationToJs(js, message);
      case WRAPPER -> {
        FieldDescriptor value = message.getDescriptorForType().findFieldByNumber(1);
        yield singleToJs(value, message.getField(value));
      }
      case STRUCT -> structToJs(message);
      case VALUE -> valueToJs(message);
      case LIST_VALUE -> listValueToJs(message);
      case FIELD_MASK -> {
        FieldDescriptor paths = message.getDescriptorForType().findFieldByNumber(1);
        yield listToJs(paths, (List<?>) message.getField(paths));
      }
      case ANY -> anyToJs(message);
    };
  }

  private Value fieldsToJs(Message message, Value object) {
    for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
      if (field.isRepeated()) {
        List<?> items = (List<?>) message.getField(field);
        put(object, field.getName(), field.isMapField() ? mapToJs(field, items) : listToJs(field, items));
      } else if (!field.hasPresence() || message.hasField(field)) {
        put(object, field.getName(), singleToJs(field, message.getField(field)));
      } else if (isNullableWrapper(field)) {
        put(object, field.getName(), null);
      }
    }
    return object;
  }

  private void put(Value object, String key, Object value) {
    if (key.equals("__proto__")) {
      js.defineMember(object, key, value);
    } else {
      object.putMember(key, value);
    }
  }

  /** An unset wrapper field is {@code null} (unless it is a oneof member: those are absent unless set). */
  private static boolean isNullableWrapper(FieldDescriptor field) {
    return field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && field.getRealContainingOneof() == null
        && WellKnownType.of(field.getMessageType()) == WellKnownType.WRAPPER;
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
      put(object, mapKey(keyField, entry.getField(keyField)), singleToJs(valueField, entry.getField(valueField)));
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
      case MESSAGE, GROUP -> messageToJs((Message) value);
    };
  }

  private static Object enumToJs(FieldDescriptor field, EnumValueDescriptor value) {
    EnumValueDescriptor known = field.getEnumType().findValueByNumber(value.getNumber());
    return known != null ? known.getName() : value.getNumber();
  }

  private Value structToJs(Message struct) {
    FieldDescriptor fields = struct.getDescriptorForType().findFieldByNumber(1);
    return mapToJs(fields, (List<?>) struct.getField(fields));
  }

  private Value listValueToJs(Message list) {
    FieldDescriptor values = list.getDescriptorForType().findFieldByNumber(1);
    return listToJs(values, (List<?>) list.getField(values));
  }

  /** JSON's value: the set member of oneof {@code kind}; a Value with no kind set is {@code null}. */
  private Object valueToJs(Message value) {
    Descriptor type = value.getDescriptorForType();
    FieldDescriptor kind = value.getOneofFieldDescriptor(type.getOneofs().getFirst());
    if (kind == null || kind.getNumber() == WellKnown.VALUE_NULL) {
      return null;
    }
    return singleToJs(kind, value.getField(kind));
  }

  /**
   * {@code {"@type": url, ...fields}} for a known message type, {@code {"@type": url, value: <JS form>}}
   * for a known well-known type, and {@code {"@type": url, value: Uint8Array}} for an unknown type (or
   * bytes that do not parse as the named type).
   */
  private Value anyToJs(Message any) {
    Descriptor anyType = any.getDescriptorForType();
    String typeUrl = (String) any.getField(anyType.findFieldByNumber(1));
    ByteString bytes = (ByteString) any.getField(anyType.findFieldByNumber(2));
    Value object = js.newObject();
    object.putMember("@type", typeUrl);
    Optional<DynamicMessage> packed = unpack(typeUrl, bytes);
    if (packed.isEmpty()) {
      object.putMember("value", JsBytes.toJs(js, bytes));
    } else if (WellKnownType.of(packed.get().getDescriptorForType()).packedUnderValue()) {
      object.putMember("value", messageToJs(packed.get()));
    } else {
      fieldsToJs(packed.get(), object);
    }
    return object;
  }

  private Optional<DynamicMessage> unpack(String typeUrl, ByteString bytes) {
    Optional<Descriptor> type = types.forTypeUrl(typeUrl);
    if (type.isEmpty()) {
      return Optional.empty();
    }
    try {
      DynamicMessage message = DynamicMessage.parseFrom(type.get(), bytes);
      return message.getUnknownFields().asMap().isEmpty() ? Optional.of(message) : Optional.empty();
    } catch (InvalidProtocolBufferException e) {
      return Optional.empty();
    }
  }
}
