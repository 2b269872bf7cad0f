package dev.bridge.typings;

import java.util.List;

/** The names of the helper types the declaration file defines at its root (see {@link RuntimeDeclarations}). */
final class Helpers {
  static final String CALL_CONTEXT = "CallContext";
  static final String CALL_SIGNAL = "CallSignal";
  static final String CALL_ABORT_EVENT = "CallAbortEvent";
  static final String JSON_VALUE = "JsonValue";
  static final String JSON_OBJECT = "JsonObject";
  static final String JSON_VALUE_INIT = "JsonValueInit";
  static final String JSON_OBJECT_INIT = "JsonObjectInit";
  static final String TIMESTAMP_INIT = "TimestampInit";
  static final String DURATION_INIT = "DurationInit";
  static final String ANY_MESSAGE = "AnyMessage";
  static final String ANY_INIT = "AnyInit";

  static final List<String> ALL = List.of(CALL_CONTEXT, CALL_SIGNAL, CALL_ABORT_EVENT, JSON_VALUE, JSON_OBJECT,
      JSON_VALUE_INIT, JSON_OBJECT_INIT, TIMESTAMP_INIT, DURATION_INIT, ANY_MESSAGE, ANY_INIT);

  private Helpers() {}
}
