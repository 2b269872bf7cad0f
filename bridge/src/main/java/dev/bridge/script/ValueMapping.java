package dev.bridge.script;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Message;
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
 *   <tr><td>map</td><td>plain object, keys as strings</td><td>plain object or Map</td></tr>
 * </table>
 *
 * <p>To JS, objects are keyed by the field names as written in the {@code .proto}; every field is
 * present with its value or default, except fields with presence (message fields, oneof members,
 * {@code optional}) which are present only when set. Back from JS, a property may use the
 * {@code .proto} name or the JSON (lowerCamelCase) name; absent, {@code undefined} or {@code null}
 * properties mean the default; an unknown property or a value of the wrong type is an error naming
 * the path ({@code response.items[2].name}). A handler result of {@code undefined}/{@code null} is the
 * empty message only for a message type with no fields.
 */
final class ValueMapping {
  private final JsHelpers helpers;
  /** Per root file: the types an {@code Any} may hold. Used on the JS thread only, but cheap to share. */
  private final Map<FileDescriptor, TypeRegistry> registries = new ConcurrentHashMap<>();

  ValueMapping(JsHelpers helpers) {
    this.helpers = helpers;
  }

  Value toJs(Message message) {
    return new MessageToJs(helpers, registryFor(message.getDescriptorForType())).toJs(message);
  }

  /** @param root the path's first element in error messages, e.g. {@code response} */
  DynamicMessage toMessage(Descriptor type, Value value, String root) throws MappingException {
    return new JsToMessage(helpers, registryFor(type)).toMessage(type, value, root);
  }

  /**
   * The types of the file defining the request or response type and of all the files it imports
   * (transitively), plus the well-known types. That covers every type the message's own schema can
   * name; a type only a sibling file defines is an unknown {@code Any} type (kept as bytes).
   */
  private TypeRegistry registryFor(Descriptor type) {
    return registries.computeIfAbsent(type.getFile(), file -> TypeRegistry.of(List.of(file)));
  }
}
