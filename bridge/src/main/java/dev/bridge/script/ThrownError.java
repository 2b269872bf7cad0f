package dev.bridge.script;

import dev.bridge.rpc.CallFailure;
import java.util.List;
import java.util.Locale;
import org.graalvm.polyglot.Value;

/**
 * What a handler threw (or rejected its promise with), as a call status: an {@code RpcError}, or any
 * object whose {@code code} is a gRPC status name (any case) or number 1..16, fails the call with that
 * status and the error's {@code message}; anything else is {@code UNKNOWN} and worth logging with its
 * stack. An {@code RpcError} or a plain object whose {@code code} is no such status is {@code UNKNOWN}
 * too, and its message says so and lists the names (an {@code Error} with another code, like the
 * {@code ENOENT} of {@code fs}, is a plain failure: Node's codes are not meant as statuses), except the error of a
 * refusal that a permission would have allowed ({@code fs} outside the granted directories, {@code fetch} to a host
 * not granted): {@code PERMISSION_DENIED}.
 */
record ThrownError(String code, String message, boolean expected, String stack) {
  /** gRPC status code names by number. */
  private static final List<String> BY_NUMBER = List.of(
      "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
      "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
      "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED");

  static ThrownError of(JsHelpers js, Value thrown) {
    if (js.isDeniedPermission(thrown)) {
      // The runtime refused what the manifest does not grant; the message names the permission to add.
      return new ThrownError("PERMISSION_DENIED", js.messageOf(thrown), true, js.stackOf(thrown));
    }
    String status = statusOf(thrown);
    if (status != null) {
      return new ThrownError(status, js.messageOf(thrown), true, js.stackOf(thrown));
    }
    String badCode = badStatusCode(js, thrown);
    if (badCode != null) {
      String what = js.describe(thrown).equals("object") ? "a thrown object" : "RpcError";
      String message = what + " with code " + badCode + ", which is no gRPC status code (use one of "
          + String.join(", ", BY_NUMBER.subList(1, BY_NUMBER.size())) + ", or its number 1-16): "
          + js.messageOf(thrown);
      return new ThrownError("UNKNOWN", message, false, message + stackBelowMessage(js.stackOf(thrown)));
    }
    return new ThrownError("UNKNOWN", js.toStringOf(thrown), false, js.stackOf(thrown));
  }

  /** The status; for an unexpected error, its stack is what the plugin's log shows. */
  CallFailure toFailure() {
    return toFailure(List.of());
  }

  /** With the error's details ({@link ErrorDetails}), sent to the host with the status. */
  CallFailure toFailure(List<com.google.protobuf.Any> details) {
    return new CallFailure(code, message, null, expected ? null : stack, details);
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

  /**
   * The {@code code} (quoted if a string) of an RpcError (or subclass) or of a plain object, which meant
   * to give a status but gave none; null for other values.
   */
  private static String badStatusCode(JsHelpers js, Value thrown) {
    if (thrown == null || !thrown.hasMembers() || !thrown.hasMember("code")) {
      return null;
    }
    Value name = thrown.getMember("name");
    boolean meantAsStatus = js.describe(thrown).equals("object")
        || (name != null && name.isString() && name.asString().equals("RpcError"));
    if (!meantAsStatus) {
      return null;
    }
    Value code = thrown.getMember("code");
    return code.isString() ? "\"" + code.asString() + "\"" : js.toStringOf(code);
  }

  /** A JS stack without its first line (the error's own message, which the caller replaces). */
  private static String stackBelowMessage(String stack) {
    int at = stack.indexOf("\n    at ");
    return at < 0 ? "" : stack.substring(at);
  }
}
