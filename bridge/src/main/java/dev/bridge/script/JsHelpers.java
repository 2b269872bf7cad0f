package dev.bridge.script;

import java.nio.ByteBuffer;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * Small JavaScript functions (defined by the {@link Prelude}) the Java side calls to make and inspect
 * values of one context. Use only on that context's JS thread.
 */
final class JsHelpers {
  private final Value newObject;
  private final Value newArray;
  private final Value newDate;
  private final Value dateParts;
  private final Value isUndefined;
  private final Value defineMember;
  private final Value bigInt;
  private final Value bytesFromHost;
  private final Value viewParts;
  private final Value describe;
  private final Value fsError;
  private final Value isDeniedPermission;
  private final Value freeze;
  private final Value stackOf;
  private final Value messageOf;
  private final Value toStringOf;
  private final Value callContext;
  private final Value abortCallContext;
  private final Value requests;
  private final Value feedRequests;
  private final Value signalReason;
  private final Value asyncIterator;
  private final Value pumpResponses;

  JsHelpers(Value helpers) {
    newObject = helpers.getMember("newObject");
    newArray = helpers.getMember("newArray");
    newDate = helpers.getMember("newDate");
    dateParts = helpers.getMember("dateParts");
    isUndefined = helpers.getMember("isUndefined");
    defineMember = helpers.getMember("defineMember");
    bigInt = helpers.getMember("bigInt");
    bytesFromHost = helpers.getMember("bytesFromHost");
    viewParts = helpers.getMember("viewParts");
    describe = helpers.getMember("describe");
    fsError = helpers.getMember("fsError");
    isDeniedPermission = helpers.getMember("isDeniedPermission");
    freeze = helpers.getMember("freeze");
    stackOf = helpers.getMember("stackOf");
    messageOf = helpers.getMember("messageOf");
    toStringOf = helpers.getMember("toStringOf");
    callContext = helpers.getMember("callContext");
    abortCallContext = helpers.getMember("abortCallContext");
    requests = helpers.getMember("requests");
    feedRequests = helpers.getMember("feedRequests");
    signalReason = helpers.getMember("signalReason");
    asyncIterator = helpers.getMember("asyncIterator");
    pumpResponses = helpers.getMember("pumpResponses");
  }

  Value newObject() {
    return newObject.execute();
  }

  Value newArray() {
    return newArray.execute();
  }

  /**
   * A {@code Date} at {@code epochMillis}; {@code subMillisNanos} (0–999999) are remembered with it, and
   * given back by {@link #dateParts} as long as the Date's time is not changed.
   */
  Value newDate(long epochMillis, int subMillisNanos) {
    return newDate.execute((double) epochMillis, subMillisNanos);
  }

  /**
   * {@code [epochMillis, subMillisNanos]} of a {@code Date} ({@code epochMillis} is NaN for an invalid
   * Date), else null.
   */
  Value dateParts(Value value) {
    return dateParts.execute(value);
  }

  /** Whether the value is {@code undefined} (rather than {@code null}; both are {@link Value#isNull()}). */
  boolean isUndefined(Value value) {
    return isUndefined.execute(value).asBoolean();
  }

  /**
   * Sets an own, enumerable property, as an object literal would: unlike {@link Value#putMember}, a key
   * {@code __proto__} becomes a property instead of replacing the object's prototype.
   */
  void defineMember(Value object, String key, Object value) {
    defineMember.execute(object, key, value);
  }

  /** A BigInt from its decimal text. */
  Value bigInt(String decimal) {
    return bigInt.execute(decimal);
  }

  /**
   * A new JS {@code Uint8Array} holding a copy of the buffer's bytes. The buffer is handed to JS as a
   * host buffer (the only host access the context has) and copied in one {@code TypedArray.set}.
   */
  Value bytesFromHost(ByteBuffer buffer) {
    return bytesFromHost.execute(buffer);
  }

  /** {@code [buffer, byteOffset, byteLength]} of an ArrayBuffer view (typed array, DataView), else null. */
  Value viewParts(Value value) {
    return viewParts.execute(value);
  }

  /** A short name of a value's type for messages: {@code number}, {@code string}, {@code array}, {@code Uint8Array}... */
  String describe(Value value) {
    return describe.execute(value).asString();
  }

  Value fsError(FsException e) {
    return fsError.execute(e.code(), e.syscall(), e.path(), e.getMessage(), e.deniedPermission());
  }

  /** Whether a thrown value is the error of a refusal a permission would have allowed (fs, fetch). */
  boolean isDeniedPermission(Value thrown) {
    return isDeniedPermission.execute(thrown).asBoolean();
  }

  Value freeze(Value value) {
    return freeze.execute(value);
  }

  String stackOf(Value thrown) {
    return stackOf.execute(thrown).asString();
  }

  String messageOf(Value thrown) {
    return messageOf.execute(thrown).asString();
  }

  String toStringOf(Value thrown) {
    return toStringOf.execute(thrown).asString();
  }

  /**
   * A handler's second argument: {@code method}, {@code deadline}, and the {@code metadata} and
   * {@code signal} made when first read ({@code metadata} is called for the metadata object);
   * {@code addMetadata(trailer, name, value)} keeps a response header or trailer, answering null or why not.
   */
  Value callContext(String method, Long deadlineMillis, ProxyExecutable metadata, ProxyExecutable addMetadata) {
    return callContext.execute(method, deadlineMillis == null ? null : (double) deadlineMillis, metadata, addMetadata);
  }

  /** Aborts the signal of a {@link #callContext}, now or when the handler first reads it. */
  void abortCallContext(Value context, String code, String message) {
    abortCallContext.execute(context, code, message);
  }

  /** The reason of a {@link #callContext}'s aborted signal (an {@code RpcError}), undefined if it is not aborted. */
  Value signalReason(Value context) {
    return signalReason.execute(context);
  }

  /**
   * A stream of requests for a handler ({@code requests}): an async iterable that calls {@code taken} each time it
   * hands a request out and {@code wanted} each time a read waits for one; fed with {@link #feedRequests}.
   */
  Value requests(ProxyExecutable taken, ProxyExecutable wanted) {
    return requests.execute(taken, wanted);
  }

  /** Hands a {@link #requests} stream a request ({@code next}), its end ({@code end}) or an error to throw ({@code fail}). */
  void feedRequests(Value requests, String kind, Object value) {
    feedRequests.execute(requests, kind, value);
  }

  /** {@code value[Symbol.asyncIterator]()}, or null if the value is no async iterable. */
  Value asyncIterator(Value value) {
    return asyncIterator.execute(value);
  }

  /**
   * Runs the responses' loop in JavaScript ({@code iterator.next()}, once settled {@code send(value)}; when send says
   * false, {@code wait(go)} and on when Java calls {@code go(true)}): a promise of the last iterator result, or of
   * undefined if the loop was stopped ({@code go(false)}).
   */
  Value pumpResponses(Value iterator, ProxyExecutable send, ProxyExecutable wait) {
    return pumpResponses.execute(iterator, send, wait);
  }
}
