package dev.bridge.cli;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the value a proto3 JSON text was refused for. JsonFormat says what is wrong ({@code Not an int64 value:
 * "abc"}) but not where; this tries the text's parts one by one with the same parser, narrowing down to the first
 * field, element or map entry that fails alone, so that the error names its field path ({@code
 * request.lines[0].quantity}, {@code request.labels["env"]}, {@code request.payload.y} inside an Any of a schema
 * type) and its line and column. Only run once a text was refused, so JsonFormat's own rules
 * (names, enums, 64-bit strings, well-known types, Any) stay the only ones.
 */
final class JsonFieldLocator {
  /** Types written in proto3 JSON as something other than an object of their fields: never looked into. */
  private static final String WELL_KNOWN_PACKAGE = "google.protobuf.";
  private static final String ANY = "google.protobuf.Any";
  private static final String TYPE_KEY = "@type";

  /**
   * A refused value.
   *
   * @param path its field path, as written in the text ({@code request.item.stock})
   * @param node where it is
   * @param reason what is wrong with it
   */
  record Refusal(String path, StrictJson.Node node, String reason) {
    /**
     * {@code request.item.stock at line 2, column 21: Not an int64 value: "abc"}; for a text of one line
     * ({@code oneLine}), {@code at column 21}.
     */
    String describe(boolean oneLine) {
      return path + " at " + StrictJson.position(node.line(), node.column(), oneLine) + ": " + reason;
    }
  }

  private final JsonFormat.Parser parser;
  private final JsonFormat.TypeRegistry types;
  private final String text;

  /** @param types the registry {@code parser} resolves Any's types with */
  JsonFieldLocator(JsonFormat.Parser parser, JsonFormat.TypeRegistry types, String text) {
    this.parser = parser;
    this.types = types;
    this.text = text;
  }

  /**
   * The first value of {@code root} that {@code type} refuses alone, or {@code root} itself with {@code reason}
   * when each part passes alone and only their combination fails (two members of one oneof).
   */
  Refusal locate(StrictJson.Node root, Descriptor type, String rootPath, String reason) {
    if (root.isObject() && type.getFullName().equals(ANY)) {
      return inAny(root, rootPath, reason);
    }
    if (!root.isObject() || type.getFullName().startsWith(WELL_KNOWN_PACKAGE)) {
      return new Refusal(rootPath, root, reason);
    }
    return inFields(root, type, false, rootPath, reason);
  }

  /** An Any of a message type holds that type's fields beside "@type": looked into as that type. */
  private Refusal inAny(StrictJson.Node any, String path, String reason) {
    StrictJson.Node typeUrl = any.fields().get(TYPE_KEY);
    if (typeUrl == null || typeUrl.token() != JsonToken.VALUE_STRING) {
      return new Refusal(path, any, reason);
    }
    String url = typeUrl.text(text);
    url = url.substring(1, url.length() - 1);
    Descriptor packed = types.find(url.substring(url.lastIndexOf('/') + 1));
    if (packed == null || url.indexOf('/') < 0) {
      return new Refusal(path + "." + TYPE_KEY, typeUrl, reason);
    }
    if (packed.getFullName().startsWith(WELL_KNOWN_PACKAGE)) {
      return new Refusal(path, any, reason);
    }
    return inFields(any, packed, true, path, reason);
  }

  /** The first field of {@code root} that {@code type} refuses alone ("@type" skipped in an Any). */
  private Refusal inFields(StrictJson.Node root, Descriptor type, boolean inAny, String rootPath, String reason) {
    for (Map.Entry<String, StrictJson.Node> member : root.fields().entrySet()) {
      String key = member.getKey();
      if (inAny && key.equals(TYPE_KEY)) {
        continue;
      }
      StrictJson.Node value = member.getValue();
      String failure = refusal(type, key, value.text(text));
      if (failure == null) {
        continue;
      }
      String path = rootPath + "." + key;
      FieldDescriptor field = field(type, key);
      if (field == null) {
        return new Refusal(path, value, "no field \"" + key + "\" in " + type.getFullName()
            + DidYouMean.hint(key, fieldNames(type)));
      }
      return within(field, key, value, path, failure);
    }
    return new Refusal(rootPath, root, reason);
  }

  /** The refused part of one field's value, which fails alone with {@code failure}. */
  private Refusal within(FieldDescriptor field, String key, StrictJson.Node value, String path, String failure) {
    Descriptor owner = field.getContainingType();
    if (field.isMapField() && value.isObject()) {
      FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
      for (Map.Entry<String, StrictJson.Node> entry : value.fields().entrySet()) {
        String entryText = "{" + quote(entry.getKey()) + ":" + entry.getValue().text(text) + "}";
        String entryFailure = refusal(owner, key, entryText);
        if (entryFailure != null) {
          return element(valueField, entry.getValue(), path + "[" + quote(entry.getKey()) + "]", entryFailure);
        }
      }
    } else if (field.isRepeated() && value.isArray()) {
      List<StrictJson.Node> items = value.items();
      for (int i = 0; i < items.size(); i++) {
        String itemFailure = refusal(owner, key, "[" + items.get(i).text(text) + "]");
        if (itemFailure != null) {
          return element(field, items.get(i), path + "[" + i + "]", itemFailure);
        }
      }
    } else {
      return element(field, value, path, failure);
    }
    return new Refusal(path, value, failure);
  }

  /** One value of {@code field}'s type (a singular value, a list element or a map value). */
  private Refusal element(FieldDescriptor field, StrictJson.Node value, String path, String failure) {
    if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      return locate(value, field.getMessageType(), path, failure);
    }
    return new Refusal(path, value, failure);
  }

  /** Why {@code {key: valueText}} is not a {@code type}, or null when it is. */
  private String refusal(Descriptor type, String key, String valueText) {
    try {
      parser.merge("{" + quote(key) + ":" + valueText + "}", DynamicMessage.newBuilder(type));
      return null;
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      return ProtoJson.reason(e);
    }
  }

  /** The field a JSON key names, as JsonFormat accepts it: its JSON (lowerCamel) name or its proto name. */
  private static FieldDescriptor field(Descriptor type, String key) {
    for (FieldDescriptor field : type.getFields()) {
      if (field.getJsonName().equals(key) || field.getName().equals(key)) {
        return field;
      }
    }
    return null;
  }

  private static List<String> fieldNames(Descriptor type) {
    List<String> names = new ArrayList<>();
    for (FieldDescriptor field : type.getFields()) {
      names.add(field.getJsonName());
      if (!field.getName().equals(field.getJsonName())) {
        names.add(field.getName());
      }
    }
    return names;
  }

  private static String quote(String key) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(key)) + "\"";
  }
}
