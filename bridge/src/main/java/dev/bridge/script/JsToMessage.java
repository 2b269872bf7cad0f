package dev.bridge.script;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.DynamicMessage;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.graalvm.polyglot.Value;

/**
 * A JavaScript value (a handler's result) as a protobuf message, strictly: a property the message
 * does not have, or a value of the wrong type, is a {@link MappingException} naming the field path.
 * Absent, {@code undefined} and {@code null} properties leave the field at its default. Property names
 * are the {@code .proto} field names or their JSON (lowerCamelCase) names. See {@link ValueMapping}.
 *
 * <p>One instance maps one result: it keeps the values being mapped, outermost first, so that a value
 * nested deeper than {@link #MAX_DEPTH} (which a cyclic object always is) fails naming where the cycle
 * closes, instead of overflowing the JS thread's stack.
 */
final class JsToMessage {
  /**
   * How deeply the values given for messages may nest: the default recursion limit of protobuf's
   * parsers (Java, C++, and the bridge's own requests), which would refuse a deeper response anyway.
   */
  static final int MAX_DEPTH = 100;
  private static final BigInteger UINT64_LIMIT = BigInteger.ONE.shiftLeft(64);

  private final JsHelpers js;
  private final TypeRegistry types;
  /** The values whose messages are being made and their paths, outermost first. */
  private final List<Value> open = new ArrayList<>();
  private final List<String> openPaths = new ArrayList<>();
  /** Message types that have required fields (proto2), checked after mapping; most have none (a stream's per item). */
  private final Map<Descriptor, Boolean> hasRequired = new java.util.concurrent.ConcurrentHashMap<>();

  JsToMessage(JsHelpers js, TypeRegistry types) {
    this.js = js;
    this.types = types;
  }

  /**
   * A message from its JS form: a plain object, or the native value of a well-known type. Null or
   * undefined is the default message for types without fields and for wrappers, and
   * {@code NULL_VALUE} for {@code google.protobuf.Value}.
   */
  DynamicMessage toMessage(Descriptor type, Value value, String path) throws MappingException {
    WellKnownType kind = WellKnownType.of(type);
    if (value == null || value.isNull()) {
      if (kind == WellKnownType.VALUE) {
        return nullValue(type);
      }
      if (type.getFields().isEmpty() || kind == WellKnownType.WRAPPER) {
        return DynamicMessage.getDefaultInstance(type);
      }
      throw new MappingException(path, "expected " + expectedMessage(type) + ", got "
          + (value == null ? "undefined" : js.describe(value)));
    }
    enter(value, path);
    try {
      return ofKind(kind, type, value, path);
    } finally {
      open.removeLast();
      openPaths.removeLast();
    }
  }

  private DynamicMessage ofKind(WellKnownType kind, Descriptor type, Value value, String path)
      throws MappingException {
    return switch (kind) {
      case NONE, EMPTY -> fromObject(type, value, path, false);
      case TIMESTAMP -> timestamp(type, value, path);
      case DURATION -> duration(type, value, path);
      case WRAPPER -> {
        FieldDescriptor field = type.findFieldByNumber(1);
        yield DynamicMessage.newBuilder(type).setField(field, single(field, value, path)).build();
      }
      case STRUCT -> struct(type, value, path);
      case VALUE -> jsonValue(type, value, path);
      case LIST_VALUE -> listValue(type, value, path);
      case FIELD_MASK -> fieldMask(type, value, path);
      case ANY -> any(type, value, path);
    };
  }

  /** Pushes a value about to become a message; past {@link #MAX_DEPTH}, fails naming the cycle if there is one. */
  private void enter(Value value, String path) throws MappingException {
    if (open.size() < MAX_DEPTH) {
      open.add(value);
      openPaths.add(path);
      return;
    }
    // Only now, on the way to failing, look for the first value that contains itself.
    for (int inner = 1; inner < open.size(); inner++) {
      Value candidate = open.get(inner);
      if (!candidate.hasMembers() && !candidate.hasArrayElements()) {
        continue;
      }
      for (int outer = 0; outer < inner; outer++) {
        if (candidate.equals(open.get(outer))) {
          throw new MappingException(openPaths.get(inner), "a cycle: this is the same object as "
              + openPaths.get(outer) + ", and a message cannot contain itself");
        }
      }
    }
    throw new MappingException(path, "nested deeper than " + MAX_DEPTH + " levels (protobuf parsers refuse "
        + "deeper messages)");
  }

  /** The fields of a plain object; with {@code skipType}, its {@code "@type"} property is not a field (an Any's). */
  private DynamicMessage fromObject(Descriptor type, Value value, String path, boolean skipType)
      throws MappingException {
    if (!isPlainObjectLike(value)) {
      throw new MappingException(path, "expected " + expectedMessage(type) + ", got " + js.describe(value));
    }
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    // Per message mapped (every item of a stream): no maps unless a oneof is set; keys seen by field index.
    Map<OneofDescriptor, String> oneofsSet = null;
    String[] seen = new String[type.getFields().size()];
    for (String key : value.getMemberKeys()) {
      if (skipType && key.equals("@type")) {
        continue;
      }
      FieldDescriptor field = type.findFieldByName(key);
      if (field == null) {
        field = findByJsonName(type, key);
      }
      if (field == null) {
        throw new MappingException(path + "." + key, "no such field in message " + type.getFullName()
            + " (fields: " + fieldNames(type) + ")");
      }
      String fieldPath = path + "." + key;
      String earlier = seen[field.getIndex()];
      seen[field.getIndex()] = key;
      if (earlier != null) {
        throw new MappingException(fieldPath, "field " + field.getName() + " given twice (also as " + earlier + ")");
      }
      Value member = value.getMember(key);
      if (member == null || member.isNull()) {
        // null, unlike undefined, sets a google.protobuf.Value field: to NULL_VALUE (as in proto3 JSON)
        if (member == null || field.isRepeated() || !isJsonValue(field) || js.isUndefined(member)) {
          continue;
        }
      }
      OneofDescriptor oneof = field.getRealContainingOneof();
      if (oneof != null) {
        if (oneofsSet == null) {
          oneofsSet = new HashMap<>();
        }
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
    if (!hasRequired.computeIfAbsent(type, t -> t.getFields().stream().anyMatch(FieldDescriptor::isRequired))) {
      return builder.buildPartial();
    }
    for (FieldDescriptor field : type.getFields()) {
      if (field.isRequired() && !builder.hasField(field)) {
        throw new MappingException(path + "." + field.getName(), "required field " + field.getName()
            + " of message " + type.getFullName() + " is missing");
      }
    }
    return builder.buildPartial();
  }

  private static boolean isJsonValue(FieldDescriptor field) {
    return field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
        && WellKnownType.of(field.getMessageType()) == WellKnownType.VALUE;
  }

  private static String expectedMessage(Descriptor type) {
    return switch (WellKnownType.of(type)) {
      case NONE, EMPTY -> "an object for message " + type.getFullName();
      case TIMESTAMP -> "a Date, an RFC 3339 string or {seconds, nanos} for google.protobuf.Timestamp";
      case DURATION -> "a string like \"1.5s\", a number of milliseconds or {seconds, nanos} for google.protobuf.Duration";
      case WRAPPER -> "a " + typeName(type.findFieldByNumber(1)) + " or null for " + type.getFullName();
      case STRUCT -> "a plain object (or Map) for google.protobuf.Struct";
      case VALUE -> "a JSON value (null, number, string, boolean, array or plain object) for google.protobuf.Value";
      case LIST_VALUE -> "an array for google.protobuf.ListValue";
      case FIELD_MASK -> "an array of paths or a comma-separated string for google.protobuf.FieldMask";
      case ANY -> "an object with \"@type\" for google.protobuf.Any";
    };
  }

  private DynamicMessage timestamp(Descriptor type, Value value, String path) throws MappingException {
    if (value.isString()) {
      return WellKnown.timestampFromString(value.asString(), path).toMessage(type);
    }
    Value dateParts = js.dateParts(value);
    if (!dateParts.isNull()) {
      return WellKnown.timestampFromDate(dateParts, path).toMessage(type);
    }
    if (isPlainObjectLike(value)) {
      return fromObject(type, value, path, false);
    }
    throw new MappingException(path, "expected " + expectedMessage(type) + ", got " + js.describe(value));
  }

  private DynamicMessage duration(Descriptor type, Value value, String path) throws MappingException {
    if (value.isString()) {
      return WellKnown.durationFromString(value.asString(), path).toMessage(type);
    }
    if (value.isNumber() && !isBigInt(value)) {
      return WellKnown.durationFromMillis(value.asDouble(), path).toMessage(type);
    }
    if (isPlainObjectLike(value)) {
      return fromObject(type, value, path, false);
    }
    throw new MappingException(path, "expected " + expectedMessage(type) + ", got " + js.describe(value));
  }

  private boolean isBigInt(Value value) {
    return js.describe(value).equals("bigint");
  }

  private DynamicMessage struct(Descriptor type, Value value, String path) throws MappingException {
    if (!value.hasHashEntries() && !isPlainObjectLike(value)) {
      throw new MappingException(path, "expected " + expectedMessage(type) + ", got " + js.describe(value));
    }
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    setMap(builder, type.findFieldByNumber(1), value, path);
    return builder.build();
  }

  private DynamicMessage listValue(Descriptor type, Value value, String path) throws MappingException {
    if (!value.hasArrayElements() || value.hasBufferElements() || value.isString()) {
      throw new MappingException(path, "expected " + expectedMessage(type) + ", got " + js.describe(value));
    }
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    setList(builder, type.findFieldByNumber(1), value, path);
    return builder.build();
  }

  private static DynamicMessage nullValue(Descriptor valueType) {
    FieldDescriptor nullField = valueType.findFieldByNumber(WellKnown.VALUE_NULL);
    return DynamicMessage.newBuilder(valueType)
        .setField(nullField, nullField.getEnumType().findValueByNumber(0))
        .build();
  }

  /** JSON's value, like {@code JSON.stringify} sees it (numbers, BigInts exact as doubles). */
  private DynamicMessage jsonValue(Descriptor type, Value value, String path) throws MappingException {
    if (value.isNull()) {
      return nullValue(type);
    }
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    if (value.isBoolean()) {
      builder.setField(type.findFieldByNumber(4), value.asBoolean());
    } else if (value.isString()) {
      builder.setField(type.findFieldByNumber(3), value.asString());
    } else if (value.isNumber()) {
      if (!value.fitsInDouble()) {
        throw new MappingException(path, "expected a JSON value for google.protobuf.Value, got "
            + js.toStringOf(value) + "n (a BigInt not exact as a number)");
      }
      double number = value.asDouble();
      if (!Double.isFinite(number)) {
        // proto3 JSON has no form for them, so protobuf refuses to write them (and hosts to read them)
        throw new MappingException(path, js.toStringOf(value) + " cannot be a google.protobuf.Value number "
            + "(JSON has no NaN or Infinity: use null, a string, or a double field)");
      }
      builder.setField(type.findFieldByNumber(2), number);
    } else if (value.hasArrayElements() && !value.hasBufferElements() && js.describe(value).equals("array")) {
      FieldDescriptor list = type.findFieldByNumber(6);
      builder.setField(list, listValue(list.getMessageType(), value, path));
    } else if (value.hasHashEntries() || (isPlainObjectLike(value) && js.describe(value).equals("object"))) {
      FieldDescriptor struct = type.findFieldByNumber(5);
      builder.setField(struct, struct(struct.getMessageType(), value, path));
    } else {
      throw new MappingException(path, "expected " + expectedMessage(type) + ", got " + js.describe(value));
    }
    return builder.build();
  }

  private DynamicMessage fieldMask(Descriptor type, Value value, String path) throws MappingException {
    FieldDescriptor paths = type.findFieldByNumber(1);
    if (value.isString()) {
      DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
      for (String each : WellKnown.fieldMaskPaths(value.asString())) {
        builder.addRepeatedField(paths, each);
      }
      return builder.build();
    }
    if (value.hasArrayElements() && !value.hasBufferElements()) {
      DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
      setList(builder, paths, value, path);
      return builder.build();
    }
    if (isPlainObjectLike(value)) {
      return fromObject(type, value, path, false);
    }
    throw new MappingException(path, "expected " + expectedMessage(type) + ", got " + js.describe(value));
  }

  /**
   * {@code {"@type": url, ...fields}} for a known message type, {@code {"@type": url, value}} for a
   * well-known type or an unknown one (then {@code value} is the serialized bytes); {@code {}} is the
   * empty Any.
   */
  private DynamicMessage any(Descriptor type, Value value, String path) throws MappingException {
    if (!isPlainObjectLike(value)) {
      throw new MappingException(path, "expected " + expectedMessage(type) + ", got " + js.describe(value));
    }
    Value typeMember = value.hasMember("@type") ? value.getMember("@type") : null;
    if (typeMember == null || typeMember.isNull()) {
      if (value.getMemberKeys().isEmpty()) {
        return DynamicMessage.getDefaultInstance(type);
      }
      throw new MappingException(path, "an object for google.protobuf.Any needs an \"@type\" property "
          + "(like \"type.googleapis.com/pkg.Message\")");
    }
    if (!typeMember.isString()) {
      throw new MappingException(path + "[\"@type\"]", "expected a type URL string, got " + js.describe(typeMember));
    }
    String typeUrl = typeMember.asString();
    Descriptor packedType = types.forTypeUrl(typeUrl).orElse(null);
    com.google.protobuf.ByteString bytes;
    if (packedType == null || WellKnownType.of(packedType).packedUnderValue()) {
      for (String key : value.getMemberKeys()) {
        if (!key.equals("@type") && !key.equals("value")) {
          throw new MappingException(path + "." + key, packedType == null
              ? "an Any of type " + typeUrl + ", unknown to the loaded .proto files, has only \"@type\" and value (its bytes)"
              : "an Any of well-known type " + packedType.getFullName() + " has only \"@type\" and value");
        }
      }
      Value packed = value.hasMember("value") ? value.getMember("value") : null;
      if (packedType == null) {
        byte[] raw = packed == null || packed.isNull() ? new byte[0] : JsBytes.fromJs(js, packed);
        if (raw == null) {
          throw new MappingException(path + ".value", "expected the bytes (Uint8Array) of a message of type "
              + typeUrl + ", which the loaded .proto files do not define, got " + js.describe(packed));
        }
        bytes = com.google.protobuf.ByteString.copyFrom(raw);
      } else {
        bytes = toMessage(packedType, packed, path + ".value").toByteString();
      }
    } else {
      bytes = fromObject(packedType, value, path, true).toByteString();
    }
    return DynamicMessage.newBuilder(type)
        .setField(type.findFieldByNumber(1), typeUrl)
        .setField(type.findFieldByNumber(2), bytes)
        .build();
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
      if ((item == null || item.isNull()) && !isJsonValue(field)) {
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
      Value value = member.getMember(key);
      if (value != null && value.isNull() && isJsonValue(valueField) && js.isUndefined(value)) {
        continue; // a Struct, like JSON.stringify, leaves out undefined properties
      }
      builder.addRepeatedField(field, mapEntry(entryType, keyField, valueField, key, value, path));
    }
  }

  private DynamicMessage mapEntry(Descriptor entryType, FieldDescriptor keyField, FieldDescriptor valueField,
      String key, Value value, String path) throws MappingException {
    String entryPath = path + "[\"" + key + "\"]";
    DynamicMessage.Builder entry = DynamicMessage.newBuilder(entryType);
    entry.setField(keyField, mapKey(keyField, key, entryPath));
    if ((value == null || value.isNull()) && !isJsonValue(valueField)) {
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
