package dev.bridge.dispatch;

import java.util.Locale;
import java.util.Set;

/**
 * A call that failed with a definite status: the code is a gRPC status code name such as
 * {@code NOT_FOUND}, kept as a name so that handler code needs no gRPC types.
 */
public final class CallFailure extends RuntimeException {
  /** The gRPC canonical status code names, other than OK. */
  public static final Set<String> CODES = Set.of(
      "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
      "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
      "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
      "UNAUTHENTICATED");

  private final String code;
  private final String logDetail;

  public CallFailure(String code, String message) {
    this(code, message, null);
  }

  public CallFailure(String code, String message, Throwable cause) {
    this(code, message, cause, null);
  }

  /**
   * @param logDetail what the plugin's log says of the failure instead of the message, for a reader of
   *     the log rather than the host (a JavaScript error's stack); null: the message
   */
  public CallFailure(String code, String message, Throwable cause, String logDetail) {
    super(message, cause);
    this.logDetail = logDetail;
    String normalized = code.toUpperCase(Locale.ROOT);
    if (!CODES.contains(normalized)) {
      throw new IllegalArgumentException("not a gRPC status code name: " + code);
    }
    this.code = normalized;
  }

  public String code() {
    return code;
  }

  /** What the plugin's log says of this failure, if other than the message (see {@link CallLog}). */
  public String logDetail() {
    return logDetail;
  }
}
