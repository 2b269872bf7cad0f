package dev.bridge.script;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.DynamicMessage;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.graalvm.polyglot.Value;

/**
 * A JavaScript value (a handler's result) as a protobuf message, strictly: a property the message
 * does not have, or a value of the wrong type, is a {@link MappingException} naming the field path.
 * Absent, {@code undefined} and {@code null} properties leave the field at its default. Property names
 * are the {@code .proto} field names or their JSON (lowerCamelCase) names. See {@link ValueMapping}.
 */
final class JsToMessage {
  private static final BigInteger UINT64_LIMIT = BigInteger.ONE.shiftLeft(64);

  private final JsHelpers js;

  JsToMessage(JsHelpers js) {
    this.js = js;
  }

  DynamicMessage toMessage(Descriptor type, Value value, String path) throws MappingException {
    if (value == null || value.isNull()) {
      if (type.getFields().isEmpty()) {
        return DynamicMessage.getDefaultInstance(type);
      }
      throw new MappingException(path, "expected an object for message " + type.getFullName() + ", got "
          + (value == null ? "undefined" : js.describe(value)));
    }
    if (!isPlainObjectLike(value)) {
      throw new MappingException(path, "expected an object for message " + type.getFullName() + ", got "
          + js.describe(value));
    }
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    Map<OneofDescriptor, String> oneofsSet = new HashMap<>();
    Map<FieldDescriptor, String> seen = new HashMap<>();
    for (String key : value.getMemberKeys()) {
      FieldDescriptor field = type.findFieldByName(key);
      if (field == null) {
        field = findByJsonName(type, key);
      }
      if (field == null) {
        throw new MappingException(path + "." + key, "no such field in message " + type.getFullName()
            + " (fields: " + fieldNames(type) + ")");
      }
      String fieldPath = path + "." + key;
      String earlier = seen.put(field, key);
      if (earlier != null) {
        throw new MappingException(fieldPath, "field " + field.getName() + " given twice (also as " + earlier + ")");
      }
      Value member = value.getMember(key);
      if (member == null || member.isNull()) {
        continue;
      }
      OneofDescriptor oneof = field.getRealContainingOneof();
      if (oneof != null) {
        String other = oneofsSet.put(oneof, key);
        if (other != null) {
          throw new MappingException(fieldPath, "only one field of oneof " + oneof.getName() + " may be set, "
              + "but " + other + " is set too");
        }
      }
      if (field.isMapField()) {
        setMap(builder, field, member, fieldPath);
      } else if (field.isRepeated()) {
        setList(builder, field, member, fieldPath);
      } else {
        builder.setField(field, single(field, member, fieldPath));
      }
    }
    return builder.build();
  }

  private boolean isPlainObjectLike(Value value) {
    return value.hasMembers() && !value.hasArrayElements() && !value.hasBufferElements()
        && !value.canExecute() && !value.isString() && !value.isNumber() && !value.isBoolean();
  }

  private static FieldDescriptor findByJsonName(Descriptor type, String key) {
    for (FieldDescriptor field : type.getFields()) {
      if (field.getJsonName().equals(key)) {
        return field;
      }
    }
    return null;
  }

  private static String fieldNames(Descriptor type) {
    if (type.getFields().isEmpty()) {
      return "none";
    }
    return type.getFields().stream().map(FieldDescriptor::getName).collect(Collectors.joining(", "));
  }

  private void setList(DynamicMessage.Builder builder, FieldDescriptor field, Value member, String path)
      throws MappingException {
    if (!member.hasArrayElements()) {
      throw new MappingException(path, "expected an array of " + typeName(field) + ", got " + js.describe(member));
    }
    long size = member.getArraySize();
    for (long i = 0; i < size; i++) {
      String itemPath = path + "[" + i + "]";
      Value item = member.getArrayElement(i);
      if (item == null || item.isNull()) {
        throw new MappingException(itemPath, "expected " + typeName(field) + ", got "
            + (item == null ? "undefined" : js.describe(item)));
      }
      builder.addRepeatedField(field, single(field, item, itemPath));
    }
  }

  private void setMap(DynamicMessage.Builder builder, FieldDescriptor field, Value member, String path)
      throws MappingException {
    Descriptor entryType = field.getMessageType();
    FieldDescriptor keyField = entryType.findFieldByNumber(1);
    FieldDescriptor valueField = entryType.findFieldByNumber(2);
    if (member.hasHashEntries()) {
      Value iterator = member.getHashEntriesIterator();
      while (iterator.hasIteratorNextElement()) {
        Value entry = iterator.getIteratorNextElement();
        Value key = entry.getArrayElement(0);
        String keyText = key.isString() ? key.asString() : js.toStringOf(key);
        builder.addRepeatedField(field, mapEntry(entryType, keyField, valueField, keyText, entry.getArrayElement(1), path));
      }
      return;
    }
    if (!isPlainObjectLike(member)) {
      throw new MappingException(path, "expected an object (or Map) for map<" + typeName(keyField) + ", "
          + typeName(valueField) + ">, got " + js.describe(member));
    }
    for (String key : member.getMemberKeys()) {
      builder.addRepeatedField(field, mapEntry(entryType, keyField, valueField, key, member.getMember(key), path));
    }
  }

  private DynamicMessage mapEntry(Descriptor entryType, FieldDescriptor keyField, FieldDescriptor valueField,
      String key, Value value, String path) throws MappingException {
    String entryPath = path + "[\"" + key + "\"]";
    DynamicMessage.Builder entry = DynamicMessage.newBuilder(entryType);
    entry.setField(keyField, mapKey(keyField, key, entryPath));
    if (value == null || value.isNull()) {
      throw new MappingException(entryPath, "expected " + typeName(valueField) + ", got "
          + (value == null ? "undefined" : js.describe(value)));
    }
    entry.setField(valueField, single(valueField, value, entryPath));
    return entry.build();
  }

  private static Object mapKey(FieldDescriptor keyField, String key, String path) throws MappingException {
    try {
      return switch (keyField.getType()) {
        case STRING -> key;
        case BOOL -> switch (key) {
          case "true" -> Boolean.TRUE;
          case "false" -> Boolean.FALSE;
          default -> throw new MappingException(path, "map key must be \"true\" or \"false\"");
        };
        case INT32, SINT32, SFIXED32 -> Integer.parseInt(key);
        case UINT32, FIXED32 -> Integer.parseUnsignedInt(key);
        case INT64, SINT64, SFIXED64 -> Long.parseLong(key);
        case UINT64, FIXED64 -> Long.parseUnsignedLong(key);
        default -> throw new MappingException(path, "unsupported map key type " + keyField.getType());
      };
    } catch (NumberFormatException e) {
      throw new MappingException(path, "map key is not a valid " + typeName(keyField));
    }
  }

  private Object single(FieldDescriptor field, Value value, String path) throws MappingException {
    return switch (field.getType()) {
      case STRING -> {
        if (!value.isString()) {
          throw wrongType(field, value, path);
        }
        yield value.asString();
      }
      case BOOL -> {
        if (!value.isBoolean()) {
          throw wrongType(field, value, path);
        }
        yield value.asBoolean();
      }
      case DOUBLE -> {
        if (!value.isNumber() || !value.fitsInDouble()) {
          throw wrongType(field, value, path);
        }
        yield value.asDouble();
      }
      case FLOAT -> {
        if (!value.isNumber() || !value.fitsInDouble()) {
          throw wrongType(field, value, path);
        }
        yield (float) value.asDouble();
      }
      case INT32, SINT32, SFIXED32 -> {
        if (!value.isNumber()) {
          throw wrongType(field, value, path);
        }
        if (!value.fitsInInt()) {
          throw new MappingException(path, "expected " + typeName(field) + ", got " + js.toStringOf(value)
              + " (not an integer in range)");
        }
        yield value.asInt();
      }
      case UINT32, FIXED32 -> {
        if (!value.isNumber()) {
          throw wrongType(field, value, path);
        }
        if (!value.fitsInLong() || value.asLong() < 0 || value.asLong() > 0xFFFF_FFFFL) {
          throw new MappingException(path, "expected " + typeName(field) + ", got " + js.toStringOf(value)
              + " (not an integer in range)");
        }
        yield (int) value.asLong();
      }
      case INT64, SINT64, SFIXED64 -> integer64(field, value, path, false);
      case UINT64, FIXED64 -> integer64(field, value, path, true);
      case BYTES -> {
        byte[] bytes = JsBytes.fromJs(js, value);
        if (bytes == null) {
          throw wrongType(field, value, path);
        }
        yield ByteString.copyFrom(bytes);
      }
      case ENUM -> enumValue(field, value, path);
      case MESSAGE, GROUP -> toMessage(field.getMessageType(), value, path);
    };
  }

  private long integer64(FieldDescriptor field, Value value, String path, boolean unsigned) throws MappingException {
    BigInteger number;
    if (value.isString()) {
      try {
        number = new BigInteger(value.asString().trim());
      } catch (NumberFormatException e) {
        throw new MappingException(path, "expected " + typeName(field) + ", got string \"" + value.asString()
            + "\" (not a decimal integer)");
      }
    } else if (value.isNumber() && value.fitsInBigInteger()) {
      number = value.asBigInteger();
    } else if (value.isNumber()) {
      throw new MappingException(path, "expected " + typeName(field) + ", got " + js.toStringOf(value)
          + " (not an integer)");
    } else {
      throw wrongType(field, value, path);
    }
    boolean inRange = unsigned
        ? number.signum() >= 0 && number.compareTo(UINT64_LIMIT) < 0
        : number.bitLength() <= 63;
    if (!inRange) {
      throw new MappingException(path, "expected " + typeName(field) + ", got " + number + " (out of range)");
    }
    return number.longValue();
  }

  private Object enumValue(FieldDescriptor field, Value value, String path) throws MappingException {
    EnumDescriptor type = field.getEnumType();
    if (value.isString()) {
      EnumValueDescriptor named = type.findValueByName(value.asString());
      if (named == null) {
        throw new MappingException(path, "\"" + value.asString() + "\" is not a value of enum " + type.getFullName()
            + " (values: " + type.getValues().stream().map(EnumValueDescriptor::getName).collect(Collectors.joining(", "))
            + ")");
      }
      return named;
    }
    if (value.isNumber() && value.fitsInInt()) {
      int number = value.asInt();
      EnumValueDescriptor known = type.findValueByNumber(number);
      if (known != null) {
        return known;
      }
      if (type.isClosed()) {
        throw new MappingException(path, number + " is not a value of closed enum " + type.getFullName());
      }
      return type.findValueByNumberCreatingIfUnknown(number);
    }
    throw wrongType(field, value, path);
  }

  private MappingException wrongType(FieldDescriptor field, Value value, String path) {
    return new MappingException(path, "expected " + typeName(field) + expectedJs(field) + ", got " + js.describe(value));
  }

  private static String expectedJs(FieldDescriptor field) {
    return switch (field.getType()) {
      case BYTES -> " (Uint8Array or string)";
      case INT64, SINT64, SFIXED64, UINT64, FIXED64 -> " (BigInt, integer number or decimal string)";
      case ENUM -> " (name string or number)";
      case MESSAGE, GROUP -> " (object)";
      default -> "";
    };
  }

  private static String typeName(FieldDescriptor field) {
    return switch (field.getType()) {
      case ENUM -> "enum " + field.getEnumType().getFullName();
      case MESSAGE, GROUP -> "message " + field.getMessageType().getFullName();
      default -> field.getType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
