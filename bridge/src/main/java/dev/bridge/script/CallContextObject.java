package dev.bridge.script;

import dev.bridge.rpc.CallContext;
import dev.bridge.rpc.ResponseMetadata;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Value;

/**
 * A handler's second argument, of every call shape: {@code {method, metadata, deadline, signal, setHeader,
 * setTrailer}}. The headers and trailers it sets are kept in the call's {@link ResponseMetadata}, which refuses a
 * header once the first response went out and a trailer once the call is answered. Use on the JS thread.
 */
final class CallContextObject {
  private CallContextObject() {}

  /** The context object of {@code call}, which its signal an early end aborts. */
  static Value create(JsHelpers js, CallContext context, ScriptCall call) {
    Value contextObject = js.callContext(context.fullMethodName(),
        context.deadline().map(Instant::toEpochMilli).orElse(null), args -> metadataObject(js, context),
        args -> addMetadata(js, context.responseMetadata(), args[0].asBoolean(), args[1].asString(), args[2]));
    call.handlerContext(contextObject);
    return contextObject;
  }

  /**
   * Header name to a frozen array of its values, frozen: strings, and for {@code -bin} headers
   * {@code Uint8Array}s (grpc has decoded their base64).
   */
  private static Value metadataObject(JsHelpers js, CallContext context) {
    Value metadata = js.newObject();
    for (Map.Entry<String, List<String>> entry : context.metadata().entrySet()) {
      Value values = js.newArray();
      List<String> list = entry.getValue();
      for (int i = 0; i < list.size(); i++) {
        values.setArrayElement(i, list.get(i));
      }
      metadata.putMember(entry.getKey(), js.freeze(values));
    }
    for (Map.Entry<String, List<byte[]>> entry : context.binaryMetadata().entrySet()) {
      Value values = js.newArray();
      List<byte[]> list = entry.getValue();
      for (int i = 0; i < list.size(); i++) {
        values.setArrayElement(i, JsBytes.toJs(js, list.get(i)));
      }
      metadata.putMember(entry.getKey(), js.freeze(values));
    }
    return js.freeze(metadata);
  }

  /**
   * {@code context.setHeader}/{@code setTrailer}: null when kept, else {@code T<message>} for a bad name or
   * value (a TypeError in JS) or {@code E<message>} when it is too late (headers sent, or the call answered).
   */
  private static String addMetadata(JsHelpers js, ResponseMetadata response, boolean trailer, String name, Value value) {
    Object kept;
    if (value.isString()) {
      kept = value.asString();
    } else if (!value.isNull() && value.hasMembers() && !js.describe(value).equals("object")) {
      byte[] bytes = JsBytes.fromJs(js, value);
      kept = bytes != null ? bytes : new ResponseMetadata.Unusable(js.describe(value));
    } else {
      kept = new ResponseMetadata.Unusable(js.describe(value));
    }
    try {
      response.add(trailer, name, kept);
      return null;
    } catch (ResponseMetadata.InvalidMetadataException e) {
      return "T" + e.getMessage();
    } catch (ResponseMetadata.CallEndedException e) {
      return "E" + e.getMessage();
    }
  }
}
