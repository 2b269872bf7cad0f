package dev.bridge.rpc;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The one line a failing call leaves in the plugin's log, written where the call's answer is decided
 * ({@code GrpcCallHandler} for a host, {@link DirectCall} for {@code bridgejs call}), after everything that may
 * still retry it, so exactly once. Its level follows the status code:
 * <ul>
 *   <li>error: {@code UNKNOWN}, {@code INTERNAL}, {@code UNIMPLEMENTED}, {@code DATA_LOSS}: the plugin is at
 *       fault (a handler threw something that is no status, a response that does not fit its type, a method
 *       without a handler);</li>
 *   <li>warn: {@code DEADLINE_EXCEEDED}, {@code RESOURCE_EXHAUSTED}, {@code UNAVAILABLE}: the plugin is slow,
 *       out of memory or going away;</li>
 *   <li>debug: every other code ({@code NOT_FOUND}, {@code INVALID_ARGUMENT}, {@code CANCELLED}...): answers
 *       about the request that handlers give on purpose, or the host giving up, which would only be noise
 *       in the host's log.</li>
 * </ul>
 * The grouping is go-grpc-middleware's default for servers, with its info level lowered to debug.
 */
public final class CallLog {
  private static final Logger LOG = Logger.getLogger("dev.bridge.rpc");

  private CallLog() {}

  static Level levelOf(String code) {
    return switch (code) {
      case "UNKNOWN", "INTERNAL", "UNIMPLEMENTED", "DATA_LOSS" -> Level.SEVERE;
      case "DEADLINE_EXCEEDED", "RESOURCE_EXHAUSTED", "UNAVAILABLE" -> Level.WARNING;
      default -> Level.FINE;
    };
  }

  /** Logs a call's failure: {@code proto.KV/Get failed with NOT_FOUND: no value for "a"}. */
  public static void failed(String fullMethodName, Throwable failure) {
    CallFailure call = DirectCall.failureOf(failure);
    Level level = levelOf(call.code());
    if (!LOG.isLoggable(level)) {
      return;
    }
    String text = call.logDetail() != null ? call.logDetail() : String.valueOf(call.getMessage());
    // Most messages start with the method already (they are also the status the host sees).
    if (text.startsWith(fullMethodName + ": ")) {
      text = text.substring(fullMethodName.length() + 2);
    }
    LogRecord record = new LogRecord(level, fullMethodName + " failed with " + call.code() + ": " + text);
    record.setLoggerName(LOG.getName());
    // A Java exception behind the status is a bug of the bridge: its stack goes with the line.
    Throwable cause = call.getCause();
    if (cause != null && !(cause instanceof CallFailure)) {
      record.setThrown(cause);
    }
    LOG.log(record);
  }
}
