package dev.bridge.rpc;

import com.google.protobuf.Any;
import java.util.List;
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
  private final List<Any> details;

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
    this(code, message, cause, logDetail, List.of());
  }

  /**
   * @param details the error details sent to the host in a {@code google.rpc.Status}
   *     ({@code grpc-status-details-bin}), e.g. a {@code google.rpc.BadRequest}; may be empty
   */
  public CallFailure(String code, String message, Throwable cause, String logDetail, List<Any> details) {
    super(message, cause);
    this.logDetail = logDetail;
    this.details = List.copyOf(details);
    String normalized = code.toUpperCase(Locale.ROOT);
    if (!CODES.contains(normalized)) {
      throw new IllegalArgumentException("not a gRPC status code name: " + code);
    }
    this.code = normalized;
  }

  /** The rich error details, packed; empty for most failures. */
  public List<Any> details() {
    return details;
  }

  public String code() {
    return code;
  }

  /** What the plugin's log says of this failure, if other than the message (see {@link CallLog}). */
  public String logDetail() {
    return logDetail;
  }
}
