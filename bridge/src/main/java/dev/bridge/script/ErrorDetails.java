package dev.bridge.script;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.MethodDescriptor;
import java.util.ArrayList;
import java.util.List;
import org.graalvm.polyglot.Value;

/**
 * The {@code details} of a thrown status (an {@code RpcError}'s options, or a plain object's member): an
 * array of objects in the bridge's {@code Any} shape, {@code {"@type": "type.googleapis.com/google.rpc.BadRequest",
 * fieldViolations: [...]}}, packed for the {@code google.rpc.Status} the host reads. A detail that does not
 * map is an error naming {@code details[i]} and the field, as a response that does not fit is.
 */
final class ErrorDetails {
  private ErrorDetails() {}

  /** The packed details; empty when the thrown value has none (no {@code details}, or undefined/null). */
  static List<Any> of(ValueMapping mapping, MethodDescriptor method, Value thrown) throws MappingException {
    if (thrown == null || !thrown.hasMembers() || !thrown.hasMember("details")) {
      return List.of();
    }
    Value details = thrown.getMember("details");
    if (details == null || details.isNull()) {
      return List.of();
    }
    if (!details.hasArrayElements()) {
      throw new MappingException("details", "expected an array of error details, got " + describe(details));
    }
    List<Any> packed = new ArrayList<>((int) details.getArraySize());
    for (long i = 0; i < details.getArraySize(); i++) {
      packed.add(mapping.toAny(method.getOutputType(), details.getArrayElement(i), "details[" + i + "]"));
    }
    return packed;
  }

  private static String describe(Value value) {
    return value.isString() ? "a string" : value.isNumber() ? "a number" : value.isBoolean() ? "a boolean" : "an object";
  }
}
