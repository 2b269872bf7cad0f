package dev.bridge.typings;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.bridge.script.WellKnownType;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The TypeScript types of fields and messages, the two ways the runtime maps them (README, "The
 * JavaScript API"; {@code dev.bridge.script.ValueMapping}): as a handler <em>receives</em> them (exact:
 * 64-bit integers are always {@code bigint}, bytes a {@code Uint8Array}) and as it may <em>return</em>
 * them (everything the runtime accepts back: a number or a string for a 64-bit integer, any typed array
 * or a string for bytes, a {@code Map} for a map). Each type is written as seen from a given namespace.
 */
final class TsTypes {
  private final DeclaredNames names;

  TsTypes(DeclaredNames names) {
    this.names = names;
  }

  // ---- received ----

  /** The property's type in the received interface. */
  String received(FieldDescriptor field, TsScope from) {
    if (field.isMapField()) {
      return "{ [key: string]: " + receivedSingle(mapValue(field), from) + " }";
    }
    if (field.isRepeated()) {
      return arrayOf(receivedSingle(field, from), false);
    }
    String single = receivedSingle(field, from);
    return isNullableWrapper(field) ? single + " | null" : single;
  }

  /**
   * Whether the received property may be absent: fields with presence are present only when set, but
   * for unset wrapper fields (present as {@code null}) and proto2 {@code required} fields (a request
   * without them does not parse).
   */
  static boolean receivedOptional(FieldDescriptor field) {
    return !field.isRepeated() && field.hasPresence() && !isNullableWrapper(field) && !field.isRequired();
  }

  /** A whole message as received: a request, or a message field's value. */
  String receivedMessage(Descriptor type, TsScope from) {
    return switch (WellKnownType.of(type)) {
      case NONE, EMPTY -> names.received(type).from(from);
      case TIMESTAMP -> from.global("Date");
      case DURATION -> "string";
      case WRAPPER -> receivedSingle(type.findFieldByNumber(1), from);
      case STRUCT -> helper(Helpers.JSON_OBJECT, from);
      case VALUE -> helper(Helpers.JSON_VALUE, from);
      case LIST_VALUE -> helper(Helpers.JSON_VALUE, from) + "[]";
      case FIELD_MASK -> "string[]";
      case ANY -> helper(Helpers.ANY_MESSAGE, from);
    };
  }

  private String receivedSingle(FieldDescriptor field, TsScope from) {
    return switch (field.getType()) {
      case STRING -> "string";
      case BYTES -> from.global("Uint8Array");
      case BOOL -> "boolean";
      case INT32, SINT32, SFIXED32, UINT32, FIXED32, FLOAT, DOUBLE -> "number";
      case INT64, SINT64, SFIXED64, UINT64, FIXED64 -> "bigint";
      // a number the .proto does not define arrives as the number, where the enum is open to them
      case ENUM -> names.enumType(field.getEnumType()).from(from) + (field.getEnumType().isClosed() ? "" : " | number");
      case MESSAGE, GROUP -> receivedMessage(field.getMessageType(), from);
    };
  }

  // ---- returned ----

  /**
   * The property's type in the returned interface; {@code null} (like absent and {@code undefined})
   * means the default, except for a proto2 {@code required} field.
   */
  String returned(FieldDescriptor field, TsScope from) {
    String type;
    if (field.isMapField()) {
      String value = returnedSingle(mapValue(field), from);
      type = "{ readonly [key: string]: " + value + " } | " + from.global("ReadonlyMap") + "<"
          + mapKey(field.getMessageType().findFieldByNumber(1)) + ", " + value + ">";
    } else if (field.isRepeated()) {
      type = arrayOf(returnedSingle(field, from), true);
    } else {
      type = returnedSingle(field, from);
      if (isJsonValue(field)) {
        return type;  // null is already a JSON value: NULL_VALUE
      }
    }
    return field.isRequired() ? type : type + " | null";
  }

  /** A whole message as returned: a response, or a message field's value. */
  String returnedMessage(Descriptor type, TsScope from) {
    return switch (WellKnownType.of(type)) {
      case NONE, EMPTY -> names.returned(type).from(from);
      case TIMESTAMP -> helper(Helpers.TIMESTAMP_INIT, from);
      case DURATION -> helper(Helpers.DURATION_INIT, from);
      case WRAPPER -> returnedSingle(type.findFieldByNumber(1), from);
      case STRUCT -> helper(Helpers.JSON_OBJECT_INIT, from);
      case VALUE -> helper(Helpers.JSON_VALUE_INIT, from);
      case LIST_VALUE -> "readonly " + helper(Helpers.JSON_VALUE_INIT, from) + "[]";
      case FIELD_MASK -> "readonly string[] | string";
      case ANY -> helper(Helpers.ANY_INIT, from);
    };
  }

  /**
   * What a handler may return for a response type: its returned form, or nothing where nothing is a
   * valid response (a type without fields, a wrapper, a {@code Value}).
   */
  String response(Descriptor type, TsScope from) {
    String returned = returnedMessage(type, from);
    return switch (WellKnownType.of(type)) {
      case NONE, EMPTY -> type.getFields().isEmpty() ? returned + " | void" : returned;
      case WRAPPER -> returned + " | null | void";
      case VALUE -> returned + " | void";
      default -> returned;
    };
  }

  private String returnedSingle(FieldDescriptor field, TsScope from) {
    return switch (field.getType()) {
      case STRING -> "string";
      case BYTES -> from.global("Uint8Array") + " | " + from.global("ArrayBufferView") + " | "
          + from.global("ArrayBuffer") + " | string";
      case BOOL -> "boolean";
      case INT32, SINT32, SFIXED32, UINT32, FIXED32, FLOAT, DOUBLE -> "number";
      case INT64, SINT64, SFIXED64, UINT64, FIXED64 -> "bigint | number | string";
      case ENUM -> returnedEnum(field.getEnumType(), from);
      case MESSAGE, GROUP -> returnedMessage(field.getMessageType(), from);
    };
  }

  /** Any name of the enum (aliases too) or a number; a closed enum refuses numbers it does not define at run time. */
  private String returnedEnum(EnumDescriptor type, TsScope from) {
    Set<String> aliases = new LinkedHashSet<>();
    for (EnumValueDescriptor value : type.getValues()) {
      if (!isCanonical(value)) {
        aliases.add(quote(value.getName()));
      }
    }
    String named = names.enumType(type).from(from);
    return aliases.isEmpty() ? named + " | number" : named + " | " + String.join(" | ", aliases) + " | number";
  }

  /** The names an enum's values arrive as: for values sharing a number ({@code allow_alias}), the first. */
  static String receivedEnumNames(EnumDescriptor type) {
    return type.getValues().stream().filter(TsTypes::isCanonical).map(value -> quote(value.getName()))
        .collect(Collectors.joining(" | "));
  }

  private static boolean isCanonical(EnumValueDescriptor value) {
    return value.getType().findValueByNumber(value.getNumber()) == value;
  }

  /** Keys of a {@code Map} returned for a map field: those that spell a valid key as a string. */
  private static String mapKey(FieldDescriptor keyField) {
    return switch (keyField.getType()) {
      case STRING -> "string";
      case BOOL -> "boolean | string";
      case INT64, SINT64, SFIXED64, UINT64, FIXED64 -> "bigint | number | string";
      default -> "number | string";
    };
  }

  private static FieldDescriptor mapValue(FieldDescriptor mapField) {
    return mapField.getMessageType().findFieldByNumber(2);
  }

  /** An unset wrapper field arrives as {@code null}, but for a oneof member (absent, like every unset member). */
  static boolean isNullableWrapper(FieldDescriptor field) {
    return field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isRepeated()
        && field.getRealContainingOneof() == null && WellKnownType.of(field.getMessageType()) == WellKnownType.WRAPPER;
  }

  private static boolean isJsonValue(FieldDescriptor field) {
    return field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
        && WellKnownType.of(field.getMessageType()) == WellKnownType.VALUE;
  }

  private String helper(String name, TsScope from) {
    return names.helper(name).from(from);
  }

  private static String arrayOf(String element, boolean readonly) {
    String item = element.matches("[\\w.$]+(\\[])*") ? element : "(" + element + ")";
    return (readonly ? "readonly " : "") + item + "[]";
  }

  static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
