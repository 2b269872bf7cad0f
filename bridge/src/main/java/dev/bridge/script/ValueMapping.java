package dev.bridge.script;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.graalvm.polyglot.Value;

/**
 * How protobuf messages and JavaScript values correspond, both ways.
 *
 * <table>
 *   <caption>Field types</caption>
 *   <tr><th>proto</th><th>to JS</th><th>accepted back</th></tr>
 *   <tr><td>string</td><td>string</td><td>string</td></tr>
 *   <tr><td>bytes</td><td>Uint8Array (a fresh copy)</td><td>Uint8Array, any typed array, DataView,
 *       ArrayBuffer, or string (UTF-8)</td></tr>
 *   <tr><td>bool</td><td>boolean</td><td>boolean</td></tr>
 *   <tr><td>int32, sint32, sfixed32, uint32, fixed32</td><td>number</td><td>integral number in range (or BigInt)</td></tr>
 *   <tr><td>float, double</td><td>number</td><td>number</td></tr>
 *   <tr><td>int64, sint64, sfixed64, uint64, fixed64</td><td>BigInt, always</td><td>BigInt, integral number or
 *       decimal string, in range</td></tr>
 *   <tr><td>enum</td><td>value name; the number if unknown</td><td>name or number (unknown numbers only for open enums)</td></tr>
 *   <tr><td>message</td><td>plain object</td><td>plain object</td></tr>
 *   <tr><td>repeated</td><td>array</td><td>array (or typed array)</td></tr>
 *   <tr><td>map</td><td>plain object, keys as strings</td><td>plain object or Map (integer and bool keys
 *       parsed, in range)</td></tr>
 * </table>
 *
 * <table>
 *   <caption>Well-known types (by full name; as fields and as whole requests/responses)</caption>
 *   <tr><th>proto</th><th>to JS</th><th>accepted back</th></tr>
 *   <tr><td>Timestamp</td><td>Date; the sub-millisecond nanos are kept with that Date object and used
 *       back while its time is unchanged; outside years 1–9999, {@code {seconds: BigInt, nanos}}</td>
 *       <td>Date, RFC 3339 string, {@code {seconds, nanos}}</td></tr>
 *   <tr><td>Duration</td><td>proto3 JSON string {@code "1.500s"}; out of range, {@code {seconds, nanos}}</td>
 *       <td>that string, number of milliseconds, {@code {seconds, nanos}}</td></tr>
 *   <tr><td>wrappers ({@code *Value})</td><td>the primitive; an unset field (not in a oneof) is null</td>
 *       <td>the primitive; null/undefined for unset</td></tr>
 *   <tr><td>Struct, Value, ListValue</td><td>object, JSON value, array (a Value without kind: null)</td>
 *       <td>the same, Map for an object; a Value field set to null is NULL_VALUE, undefined is
 *       unset</td></tr>
 *   <tr><td>Empty</td><td>{@code {}}</td><td>{@code {}}</td></tr>
 *   <tr><td>FieldMask</td><td>array of paths</td><td>array, or JSON's comma string (lowerCamel paths
 *       become snake_case)</td></tr>
 *   <tr><td>Any</td><td>{@code {"@type", ...fields}} for a type of the {@link TypeRegistry};
 *       {@code {"@type", value}} for a well-known type, and for an unknown type or unparseable payload
 *       with value the bytes</td><td>the same shapes; {@code {}} is the empty Any</td></tr>
 * </table>
 *
 * <p>To JS, objects are keyed by the field names as written in the {@code .proto}; every field is
 * present with its value or default, except fields with presence (message fields, oneof members,
 * {@code optional}) which are present only when set. Back from JS, a property may use the
 * {@code .proto} name or the JSON (lowerCamelCase) name; absent, {@code undefined} or {@code null}
 * properties mean the default; an unknown property or a value of the wrong type is an error naming
 * the path ({@code response.items[2].name}). A handler result of {@code undefined}/{@code null} is the
 * empty message only for a message type with no fields or a wrapper (and NULL_VALUE for a Value). A
 * proto2 {@code required} field missing from a result is an error naming it.
 */
final class ValueMapping {
  private final JsHelpers helpers;
  private final List<FileDescriptor> schema;
  /** Per root file: the types an {@code Any} may hold. Used on the JS thread only, but cheap to share. */
  private final Map<FileDescriptor, TypeRegistry> registries = new ConcurrentHashMap<>();

  /** @param schema the files the plugin loaded, whose types any {@code Any} may hold; may be empty */
  ValueMapping(JsHelpers helpers, List<FileDescriptor> schema) {
    this.helpers = helpers;
    this.schema = List.copyOf(schema);
  }

  Value toJs(Message message) {
    return new MessageToJs(helpers, registryFor(message.getDescriptorForType())).toJs(message);
  }

  /** @param root the path's first element in error messages, e.g. {@code response} */
  DynamicMessage toMessage(Descriptor type, Value value, String root) throws MappingException {
    return new JsToMessage(helpers, registryFor(type)).toMessage(type, value, root);
  }

  /**
   * An error detail ({@code {"@type", ...fields}}) packed as a {@code google.protobuf.Any}; the types known
   * are those of the method's files (through {@code near}, a type of them) and the {@code google.rpc} ones.
   * An unknown type (unlike a response's Any, where it may be kept as bytes) is an error: a host could not
   * read it.
   */
  com.google.protobuf.Any toAny(Descriptor near, Value value, String root) throws MappingException {
    TypeRegistry types = registryFor(near);
    if (value == null || !value.hasMembers() || !value.hasMember("@type")) {
      throw new MappingException(root, "expected an error detail, an object with \"@type\" such as "
          + "{\"@type\": \"type.googleapis.com/google.rpc.BadRequest\", fieldViolations: [...]}, got "
          + (value == null ? "undefined" : helpers.describe(value)));
    }
    if (value != null && value.hasMembers() && value.hasMember("@type") && value.getMember("@type").isString()) {
      String typeUrl = value.getMember("@type").asString();
      if (types.forTypeUrl(typeUrl).isEmpty()) {
        throw new MappingException(root + "[\"@type\"]", "unknown error detail type " + typeUrl
            + " (known: the google.rpc error details such as type.googleapis.com/google.rpc.BadRequest, "
            + "and the message types of the loaded .proto files)");
      }
    }
    DynamicMessage any = new JsToMessage(helpers, types).toMessage(com.google.protobuf.Any.getDescriptor(), value, root);
    try {
      return com.google.protobuf.Any.parseFrom(any.toByteString());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException("an Any built here does not parse", e);
    }
  }

  /**
   * The types of every file of the schema, of the file defining the request or response type (first,
   * so that its names win), and of all the files they import (transitively), plus the well-known types.
   * Without a schema, a type only a sibling file defines is an unknown {@code Any} type (kept as bytes).
   */
  private TypeRegistry registryFor(Descriptor type) {
    return registries.computeIfAbsent(type.getFile(), file -> {
      List<FileDescriptor> files = new ArrayList<>(schema.size() + 1);
      files.add(file);
      files.addAll(schema);
      return TypeRegistry.of(files);
    });
  }
}
