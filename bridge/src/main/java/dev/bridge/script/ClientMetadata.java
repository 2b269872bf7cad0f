package dev.bridge.script;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.graalvm.polyglot.Value;

/**
 * A broker call's {@code options.metadata}: header name to a string, bytes for a name ending in {@code -bin}, or an
 * array of them; names are lower-cased, as gRPC sends them. What the transport cannot send (a bad name, a value
 * with control characters) it refuses when the call starts.
 */
final class ClientMetadata {
  final Map<String, List<String>> ascii = new LinkedHashMap<>();
  final Map<String, List<byte[]>> binary = new LinkedHashMap<>();

  private ClientMetadata() {}

  /** On the JS thread; {@code metadata} null or an object (checked by the prelude). */
  static ClientMetadata of(JsHelpers js, Value metadata) {
    ClientMetadata result = new ClientMetadata();
    if (metadata == null || metadata.isNull()) {
      return result;
    }
    for (String key : metadata.getMemberKeys()) {
      String name = key.toLowerCase(Locale.ROOT);
      Value value = metadata.getMember(key);
      List<Value> values = new ArrayList<>();
      boolean many = js.describe(value).equals("array");  // a Uint8Array has array elements too
      if (many) {
        for (long i = 0; i < value.getArraySize(); i++) {
          values.add(value.getArrayElement(i));
        }
      } else {
        values.add(value);
      }
      for (int i = 0; i < values.size(); i++) {
        Value one = values.get(i);
        String where = "options.metadata[\"" + key + "\"]" + (many ? "[" + i + "]" : "");
        if (name.endsWith("-bin")) {
          byte[] bytes = one.isString() || one.isNull() ? null : JsBytes.fromJs(js, one);
          if (bytes == null) {
            throw new IllegalArgumentException(where + " must be a Uint8Array (the name ends in -bin), got "
                + js.describe(one));
          }
          result.binary.computeIfAbsent(name, n -> new ArrayList<>()).add(bytes);
        } else {
          if (!one.isString()) {
            throw new IllegalArgumentException(where + " must be a string (bytes go under a name ending in -bin), got "
                + js.describe(one));
          }
          result.ascii.computeIfAbsent(name, n -> new ArrayList<>()).add(one.asString());
        }
      }
    }
    return result;
  }
}
