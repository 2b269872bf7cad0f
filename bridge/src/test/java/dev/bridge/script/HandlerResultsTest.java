package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.directFailure;
import static dev.bridge.script.ScriptFixture.failure;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.put;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bridge.LogCapture;
import dev.bridge.rpc.CallFailure;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
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
    try (LogCapture log = LogCapture.start("dev.bridge.rpc", Level.ALL)) {
      records = log.records();
      load("""
          function helper() {
            throw new TypeError('boom');
          }
          export function Get() { helper(); }
          """);
      CallFailure failure = directFailure(runtime, TestProtos.GET, get("k"));
      assertEquals("UNKNOWN", failure.code());
      assertEquals("TypeError: boom", failure.getMessage());
    }
    assertEquals(1, records.size(), () -> records.stream().map(LogRecord::getMessage).toList().toString());
    String logged = records.getFirst().getMessage();
    assertEquals(Level.SEVERE, records.getFirst().getLevel());
    assertTrue(logged.startsWith("proto.KV/Get failed with UNKNOWN: TypeError: boom\n"), logged);
    assertTrue(logged.contains("main.mjs:2:"), logged);
  }

  /** Each failing call: its status, and the one line it leaves in the log at the level its code has. */
  @Test
  void everyFailingCallLeavesOneLogLineAtItsCodesLevel() throws Exception {
    load("""
        export async function Get({ key }) {
          if (key === 'missing') throw new RpcError('NOT_FOUND', 'no value for ' + key);
          if (key === 'busy') throw new RpcError('RESOURCE_EXHAUSTED', 'too many');
          if (key === 'shape') return { value: 42 };
          if (key === 'mine') throw new RpcError('INTERNAL', 'on purpose');
          throw new Error('kaput');
        }
        """);
    record Case(String key, String code, Level level, String line) {}
    List<Case> cases = List.of(
        new Case("missing", "NOT_FOUND", Level.FINE, "proto.KV/Get failed with NOT_FOUND: no value for missing"),
        new Case("busy", "RESOURCE_EXHAUSTED", Level.WARNING, "proto.KV/Get failed with RESOURCE_EXHAUSTED: too many"),
        new Case("shape", "INTERNAL", Level.SEVERE, "proto.KV/Get failed with INTERNAL: response.value: expected "
            + "bytes (Uint8Array or string), got number"),
        new Case("mine", "INTERNAL", Level.SEVERE, "proto.KV/Get failed with INTERNAL: on purpose"),
        new Case("other", "UNKNOWN", Level.SEVERE, "proto.KV/Get failed with UNKNOWN: Error: kaput\n    at Module.Get ("));
    for (Case c : cases) {
      List<LogRecord> records;
      try (LogCapture dispatch = LogCapture.start("dev.bridge.rpc", Level.ALL);
          LogCapture script = LogCapture.start("dev.bridge.script", Level.ALL)) {
        records = new java.util.ArrayList<>();
        assertEquals(c.code(), directFailure(runtime, TestProtos.GET, get(c.key())).code(), c.key());
        records.addAll(dispatch.records());
        records.addAll(script.records());
      }
      assertEquals(1, records.size(), () -> c.key() + ": " + records.stream().map(LogRecord::getMessage).toList());
      assertEquals(c.level(), records.getFirst().getLevel(), c.key());
      assertTrue(records.getFirst().getMessage().startsWith(c.line()), records.getFirst().getMessage());
    }
  }

  @Test
  void rpcErrorWithAnUnknownCodeSaysSoAndListsTheCodes() throws Exception {
    load("export function Get() { throw new RpcError('NOPE', 'bad code'); }");
    CallFailure failure = failure(runtime, TestProtos.GET, get("k"));
    assertEquals("UNKNOWN", failure.code());
    assertEquals("RpcError with code \"NOPE\", which is no gRPC status code (use one of CANCELLED, UNKNOWN, "
        + "INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND, ALREADY_EXISTS, PERMISSION_DENIED, RESOURCE_EXHAUSTED, "
        + "FAILED_PRECONDITION, ABORTED, OUT_OF_RANGE, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS, "
        + "UNAUTHENTICATED, or its number 1-16): bad code", failure.getMessage());
  }

  @Test
  void anRpcErrorsStackStartsWhereTheHandlerMadeIt() throws Exception {
    load("class Gone extends RpcError {}\n"
        + "export function Get() { return { value: new RpcError('NOT_FOUND', 'x').stack + '|' + new Gone(5, 'y').stack }; }");
    String stacks = text(value(call(runtime, TestProtos.GET, get("k"))));
    assertTrue(stacks.matches("RpcError: x\n    at .*main\\.mjs:2:\\d+\\)\\|RpcError: y\n    at .*main\\.mjs:2:\\d+\\)"), stacks);
  }

  @Test
  void thrownObjectsWithAnUnknownCodeSaySo() throws Exception {
    load("""
        class Missing extends RpcError {}
        export async function Get({ key }) {
          if (key === 'plain') throw { code: 'GONE', message: 'went away' };
          if (key === 'number') throw new RpcError(0, 'zero');
          throw new Missing(undefined, 'subclass');
        }
        """);
    assertTrue(failure(runtime, TestProtos.GET, get("plain")).getMessage()
        .startsWith("a thrown object with code \"GONE\", which is no gRPC status code (use one of CANCELLED,"));
    String number = failure(runtime, TestProtos.GET, get("number")).getMessage();
    assertTrue(number.startsWith("RpcError with code 0, which is no gRPC status code") && number.endsWith("): zero"),
        number);
    CallFailure subclass = failure(runtime, TestProtos.GET, get("sub"));
    assertEquals("UNKNOWN", subclass.code());
    assertTrue(subclass.getMessage().startsWith("RpcError with code undefined, which is no gRPC status code"),
        subclass.getMessage());
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
