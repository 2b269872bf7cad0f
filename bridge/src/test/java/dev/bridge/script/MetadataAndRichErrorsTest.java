package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.failure;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import dev.bridge.rpc.CallContext;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.ResponseMetadata;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** context.setHeader/setTrailer, -bin request headers, and an RpcError's details, through a real script. */
class MetadataAndRichErrorsTest {
  @RegisterExtension final ScriptsUnderTest scripts = new ScriptsUnderTest();

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static CallContext context() {
    return ScriptFixture.context(TestProtos.GET, Map.of());
  }

  private static String callWith(ScriptRuntime runtime, CallContext context) throws Exception {
    return text(value(ScriptFixture.handler(runtime, TestProtos.GET).unary(get("k"), context)
        .toCompletableFuture().get(30, TimeUnit.SECONDS)));
  }

  @Test
  void headersAndTrailersSetByTheHandlerAreKept() throws Exception {
    var runtime = scripts.load("""
        export async function Get(request, context) {
          context.setHeader('x-foo', 'a');
          await null;
          context.setHeader('X-Foo', 'b');
          context.setTrailer('x-raw-bin', new Uint8Array([0, 255]));
          return { value: 'ok' };
        }
        """);
    CallContext context = context();
    assertEquals("ok", callWith(runtime, context));
    ResponseMetadata response = context.responseMetadata();
    assertEquals(List.of(new ResponseMetadata.Entry("x-foo", "a"), new ResponseMetadata.Entry("x-foo", "b")),
        response.headers());
    assertArrayEquals(new byte[] {0, (byte) 255}, (byte[]) response.trailers().getFirst().value());
  }

  @Test
  void badNamesAndValuesThrowTypeErrorsNamingTheHeader() throws Exception {
    var runtime = scripts.load("""
        const attempt = (f) => { try { f(); return 'kept'; } catch (e) { return e.constructor.name + ': ' + e.message; } };
        export function Get(request, context) {
          return { value: [
            attempt(() => context.setHeader('grpc-status', '0')),
            attempt(() => context.setHeader('x-n', 42)),
            attempt(() => context.setTrailer('x-b-bin', 'text')),
            attempt(() => context.setHeader('x-u', new Uint8Array([1]))),
            attempt(() => context.setHeader(7, 'v')),
          ].join('\\n') };
        }
        """);
    String[] lines = callWith(runtime, context()).split("\n");
    assertTrue(lines[0].startsWith("TypeError: setHeader(\"grpc-status\"): grpc-status is reserved"), lines[0]);
    assertEquals("TypeError: setHeader(\"x-n\"): the value must be a string (or a Uint8Array for a name ending in "
        + "-bin), got number", lines[1]);
    assertEquals("TypeError: setTrailer(\"x-b-bin\"): a -bin header's value must be a Uint8Array, got a string",
        lines[2]);
    assertTrue(lines[3].startsWith("TypeError: setHeader(\"x-u\"): the value must be a string"), lines[3]);
    assertEquals("TypeError: setHeader: the name must be a string, got number", lines[4]);
  }

  @Test
  void settingAHeaderAfterTheCallIsAnsweredThrows() throws Exception {
    var runtime = scripts.load("""
        let late = 'not yet';
        export function Get(request, context) {
          if (request.key === 'check') return { value: late };
          setTimeout(() => {
            try { context.setHeader('x-late', '1'); late = 'kept'; } catch (e) { late = e.constructor.name + ': ' + e.message; }
          }, 0);
          return { value: 'ok' };
        }
        """);
    // as served: the call is answered (DirectCall seals the response metadata) before the timer runs
    dev.bridge.rpc.DirectCall.unary(TestProtos.GET, runtime.handlers(), get("k"), context()).get(30, TimeUnit.SECONDS);
    String late = "not yet";
    for (int i = 0; i < 100 && late.equals("not yet"); i++) {
      Thread.sleep(20);
      late = text(value(call(runtime, TestProtos.GET, get("check"))));
    }
    assertTrue(late.startsWith("Error: setHeader(\"x-late\"): the call was already answered"), late);
  }

  @Test
  void binaryRequestHeadersAreUint8Arrays() throws Exception {
    var runtime = scripts.load("""
        export function Get(request, context) {
          const [v] = context.metadata['x-token-bin'];
          return { value: (v instanceof Uint8Array) + ' ' + Array.from(v).join(',') + ' ' + context.metadata['x-a'][0] };
        }
        """);
    CallContext context = new CallContext("/proto.KV/Get", Map.of("x-a", List.of("s")))
        .withBinaryMetadata(() -> Map.of("x-token-bin", List.of(new byte[] {7, 0, (byte) 200})));
    assertEquals("true 7,0,200 s", callWith(runtime, context));
  }

  @Test
  void rpcErrorDetailsArePackedAsAny() throws Exception {
    var runtime = scripts.load("""
        export function Get() {
          throw new RpcError('INVALID_ARGUMENT', 'key is required', { details: [
            { '@type': 'type.googleapis.com/google.rpc.BadRequest',
              fieldViolations: [{ field: 'key', description: 'must not be empty' }] },
            { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'EMPTY', metadata: { a: 'b' } },
          ] });
        }
        """);
    CallFailure failure = failure(runtime, TestProtos.GET, get("k"));
    assertEquals("INVALID_ARGUMENT", failure.code());
    assertEquals("key is required", failure.getMessage());
    assertEquals(2, failure.details().size());
    BadRequest bad = failure.details().get(0).unpack(BadRequest.class);
    assertEquals("key", bad.getFieldViolations(0).getField());
    assertEquals("must not be empty", bad.getFieldViolations(0).getDescription());
    assertEquals("b", failure.details().get(1).unpack(ErrorInfo.class).getMetadataOrThrow("a"));
  }

  @Test
  void aThrownPlainObjectsDetailsCountToo() throws Exception {
    var runtime = scripts.load("""
        export async function Get() {
          await null;
          throw { code: 'FAILED_PRECONDITION', message: 'not yet', details: [
            { '@type': 'type.googleapis.com/google.rpc.PreconditionFailure',
              violations: [{ type: 'TOS', subject: 'user', description: 'accept first' }] }] };
        }
        """);
    CallFailure failure = failure(runtime, TestProtos.GET, get("k"));
    assertEquals("FAILED_PRECONDITION", failure.code());
    assertEquals("TOS", failure.details().getFirst().unpack(com.google.rpc.PreconditionFailure.class)
        .getViolations(0).getType());
  }

  @Test
  void aDetailThatDoesNotMapFailsWithInternalNamingIt() throws Exception {
    var runtime = scripts.load("""
        export function Get({ key }) {
          const details = {
            unknown: [{ '@type': 'type.googleapis.com/nope.Missing', x: 1 }],
            field: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: 'soon' }],
            noType: [{ reason: 'x' }],
            notArray: { '@type': 'type.googleapis.com/google.rpc.Help' },
          }[key];
          throw new RpcError('UNAVAILABLE', 'later', { details });
        }
        """);
    record Case(String key, String names) {}
    for (Case c : List.of(
        new Case("unknown", "proto.KV/Get: details[0][\"@type\"]: unknown error detail type type.googleapis.com/nope.Missing"),
        new Case("field", "proto.KV/Get: details[0].retryDelay: "),
        new Case("noType", "proto.KV/Get: details[0]: expected an error detail, an object with \"@type\""),
        new Case("notArray", "proto.KV/Get: details: expected an array of error details, got an object"))) {
      CallFailure failure = failure(runtime, TestProtos.GET, get(c.key()));
      assertEquals("INTERNAL", failure.code(), c.key());
      assertTrue(failure.getMessage().startsWith(c.names()) && failure.getMessage().endsWith("(in a thrown UNAVAILABLE error: later)"),
          failure.getMessage());
    }
  }

  @Test
  void anRpcErrorWithoutDetailsIsAsBefore() throws Exception {
    var runtime = scripts.load("export function Get() { throw new RpcError('NOT_FOUND', 'no'); }");
    CallFailure failure = failure(runtime, TestProtos.GET, get("k"));
    assertEquals("NOT_FOUND", failure.code());
    assertTrue(failure.details().isEmpty());
  }
}
