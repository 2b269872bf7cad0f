package dev.bridge.script;

import dev.bridge.dispatch.CallFailure;
import java.util.List;
import java.util.Locale;
import org.graalvm.polyglot.Value;

/**
 * What a handler threw (or rejected its promise with), as a call status: an {@code RpcError}, or any
 * object whose {@code code} is a gRPC status name (any case) or number 1..16, fails the call with that
 * status and the error's {@code message}; anything else is {@code UNKNOWN} and worth logging with its
 * stack.
 */
record ThrownError(String code, String message, boolean expected, String stack) {
  /** gRPC status code names by number. */
  private static final List<String> BY_NUMBER = List.of(
      "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
      "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
      "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED");

  static ThrownError of(JsHelpers js, Value thrown) {
    String status = statusOf(thrown);
    if (status != null) {
      return new ThrownError(status, js.messageOf(thrown), true, js.stackOf(thrown));
    }
    return new ThrownError("UNKNOWN", js.toStringOf(thrown), false, js.stackOf(thrown));
  }

  CallFailure toFailure() {
    return new CallFailure(code, message);
  }

  private static String statusOf(Value thrown) {
    if (thrown == null || !thrown.hasMembers() || !thrown.hasMember("code")) {
      return null;
    }
    Value code = thrown.getMember("code");
    if (code.isString()) {
      String name = code.asString().toUpperCase(Locale.ROOT);
      return CallFailure.CODES.contains(name) ? name : null;
    }
    if (code.isNumber() && code.fitsInInt()) {
      int number = code.asInt();
      return number >= 1 && number < BY_NUMBER.size() ? BY_NUMBER.get(number) : null;
    }
    return null;
  }
}
