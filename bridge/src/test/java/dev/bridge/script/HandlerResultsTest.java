package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.failure;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.put;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bridge.LogCapture;
import dev.bridge.dispatch.CallFailure;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a handler returns, resolves, throws or rejects with, and what the call then answers. */
class HandlerResultsTest {
  @RegisterExtension final ScriptsUnderTest scripts = new ScriptsUnderTest();
  private ScriptRuntime runtime;

  private ScriptRuntime load(String source) throws Exception {
    runtime = scripts.load(source);
    return runtime;
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void asyncHandlerWithAnAwaitChainCompletes() throws Exception {
    load("""
        const later = (v) => Promise.resolve().then(() => v);
        async function upper(s) { await null; return (await later(s)).toUpperCase(); }
        export async function Get(request) {
          let s = request.key;
          for (let i = 0; i < 10; i++) { s = await later(s); }
          return { value: await upper(s) };
        }
        """);
    assertEquals("HELLO", text(value(call(runtime, TestProtos.GET, get("hello")))));
  }

  @Test
  void aReturnedThenableIsAwaited() throws Exception {
    load("""
        export function Get(request) {
          return { then(resolve) { resolve({ value: 'thenable ' + request.key }); } };
        }
        """);
    assertEquals("thenable k", text(value(call(runtime, TestProtos.GET, get("k")))));
  }

  @Test
  void undefinedIsTheEmptyMessageForAMessageWithoutFields() throws Exception {
    load("export async function Put() {}");
    assertEquals(0, call(runtime, TestProtos.PUT, put("k", new byte[0])).getAllFields().size());
  }

  @Test
  void handlerGetsTheMethodAndMetadata() throws Exception {
    load("""
        export function Get(request, context) {
          return { value: context.method + ' ' + JSON.stringify(context.metadata) };
        }
        """);
    var response = ScriptFixture.handler(runtime, TestProtos.GET)
        .unary(get("k"), ScriptFixture.context(TestProtos.GET, Map.of("x-user", List.of("ann", "bob"))))
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals("/proto.KV/Get {\"x-user\":[\"ann\",\"bob\"]}", text(value(response)));
  }

  @Test
  void thrownRpcErrorFailsTheCallWithItsStatus() throws Exception {
    load("export function Get(request) { throw new RpcError('NOT_FOUND', 'no key ' + request.key); }");
    CallFailure failure = failure(runtime, TestProtos.GET, get("k"));
    assertEquals("NOT_FOUND", failure.code());
    assertEquals("no key k", failure.getMessage());
  }

  @Test
  void rejectedPromiseWithRpcErrorFailsTheCallWithItsStatus() throws Exception {
    load("export async function Get() { await null; throw new RpcError('permission_denied', 'go away'); }");
    CallFailure failure = failure(runtime, TestProtos.GET, get("k"));
    assertEquals("PERMISSION_DENIED", failure.code());
    assertEquals("go away", failure.getMessage());
  }

  @Test
  void anyErrorWithANumericGrpcCodeFailsWithThatStatus() throws Exception {
    load("export function Get() { const e = new Error('exists'); e.code = 6; throw e; }");
    CallFailure failure = failure(runtime, TestProtos.GET, get("k"));
    assertEquals("ALREADY_EXISTS", failure.code());
    assertEquals("exists", failure.getMessage());
  }

  @Test
  void plainThrownErrorIsUnknownAndLoggedWithItsStack() throws Exception {
    List<LogRecord> records;
    try (LogCapture log = LogCapture.start("dev.bridge.script")) {
      records = log.records();
      load("""
          function helper() {
            throw new TypeError('boom');
          }
          export function Get() { helper(); }
          """);
      CallFailure failure = failure(runtime, TestProtos.GET, get("k"));
      assertEquals("UNKNOWN", failure.code());
      assertEquals("TypeError: boom", failure.getMessage());
    }
    String logged = records.stream().map(LogRecord::getMessage).reduce("", String::concat);
    assertTrue(logged.contains("proto.KV/Get"), logged);
    assertTrue(logged.contains("main.mjs:2:"), logged);
  }

  @Test
  void errorsWithNonGrpcCodesAreUnknown() throws Exception {
    load("export function Get() { fs.readFileSync('missing'); }");
    CallFailure failure = failure(runtime, TestProtos.GET, get("k"));
    assertEquals("UNKNOWN", failure.code());
    assertTrue(failure.getMessage().contains("ENOENT"), failure.getMessage());
  }

  @Test
  void thrownNonErrorValuesAreUnknown() throws Exception {
    load("export async function Get() { throw 'just a string'; }");
    CallFailure failure = failure(runtime, TestProtos.GET, get("k"));
    assertEquals("UNKNOWN", failure.code());
    assertEquals("just a string", failure.getMessage());
  }

  @Test
  void unknownPropertyInTheResultIsInternalNamingTheField() throws Exception {
    load("export function Get() { return { value: 'x', valu: 'typo' }; }");
    CallFailure failure = failure(runtime, TestProtos.GET, get("k"));
    assertEquals("INTERNAL", failure.code());
    assertEquals("proto.KV/Get: response.valu: no such field in message proto.GetResponse (fields: value)",
        failure.getMessage());
  }

  @Test
  void wrongValueTypeInTheResultIsInternalNamingTheField() throws Exception {
    load("export function Get() { return { value: 42 }; }");
    CallFailure failure = failure(runtime, TestProtos.GET, get("k"));
    assertEquals("INTERNAL", failure.code());
    assertEquals("proto.KV/Get: response.value: expected bytes (Uint8Array or string), got number",
        failure.getMessage());
  }

  @Test
  void undefinedResultForAMessageWithFieldsIsInternal() throws Exception {
    load("export function Get() {}");
    CallFailure failure = failure(runtime, TestProtos.GET, get("k"));
    assertEquals("INTERNAL", failure.code());
    assertTrue(failure.getMessage().startsWith("proto.KV/Get: response: expected an object for message proto.GetResponse"),
        failure.getMessage());
  }

  @Test
  void throwingGetterInAnAwaitedResultFailsTheCall() throws Exception {
    load("export async function Get() { return { get value() { throw new RpcError('ABORTED', 'getter'); } }; }");
    CallFailure failure = failure(runtime, TestProtos.GET, get("k"));
    assertEquals("ABORTED", failure.code());
    assertEquals("getter", failure.getMessage());
  }

  @Test
  void throwingGetterInAPlainResultFailsTheCall() throws Exception {
    load("export function Get() { return { get value() { throw new Error('getter'); } }; }");
    CallFailure failure = failure(runtime, TestProtos.GET, get("k"));
    assertEquals("UNKNOWN", failure.code());
    assertEquals("Error: getter", failure.getMessage());
  }

  @Test
  void resultOfTheWrongKindIsInternal() throws Exception {
    load("export function Get() { return [1, 2]; }");
    CallFailure failure = failure(runtime, TestProtos.GET, get("k"));
    assertEquals("proto.KV/Get: response: expected an object for message proto.GetResponse, got array",
        failure.getMessage());
  }

  @Test
  void bytesMayBeReturnedAsStringArrayBufferTypedArrayOrDataView() throws Exception {
    String[] returns = {
        "'héllo'",
        "new TextEncoder().encode('héllo').buffer",
        "new TextEncoder().encode('xxhéllo').subarray(2)",
        "new DataView(new TextEncoder().encode('xhéllox').buffer, 1, 6)",
        "new Uint16Array(new TextEncoder().encode('héllo!!').buffer).subarray(0, 3)",
    };
    for (String expression : returns) {
      load("export function Get() { return { value: " + expression + " }; }");
      assertArrayEquals("héllo".getBytes(StandardCharsets.UTF_8), value(call(runtime, TestProtos.GET, get("k"))),
          expression);
      runtime.close();
    }
  }
}
