package dev.bridge.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.rpc.BadRequest;
import dev.bridge.rpc.CallContext;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.ClientCallOptions;
import dev.bridge.rpc.Handlers;
import dev.bridge.rpc.MethodHandler;
import dev.bridge.rpc.RequestListener;
import dev.bridge.rpc.ServerCalls;
import dev.bridge.rpc.grpc.GrpcRemoteChannel;
import dev.bridge.schema.ProtoFileLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code broker} global against a broker in one process ({@link InProcessBroker}): a "host" service in Java
 * dialed by the script, every call shape, errors with details, deadlines, aborts, metadata, flow control; a service
 * the script serves, called from Java and from the script itself; stopping it; no broker; closing the instance.
 */
class BrokerGlobalTest {
  private static final String SCRIPT = """
      const str = (v) => JSON.stringify(v, (k, x) => typeof x === 'bigint' ? Number(x) : x);
      const doubler = {
        Add(r) { return { n: r.n * 2n }; },
        async *Count(r) { for (let i = 0n; i < r.n; i++) yield { n: i }; },
        async Sum(requests) { let s = 0n; for await (const r of requests) s += r.n; return { n: s }; },
        async *Echo(requests) { for await (const r of requests) yield { n: r.n + 100n }; },
      };
      export let kept;
      export const Test = {
        async Go({ out: what, id }) {
          switch (what) {
            case 'unary': {
              const calc = await broker.dial(id, 't.Calc');
              return { out: str((await calc.Add({ n: 41n })).n) };
            }
            case 'server': {
              const calc = await broker.dial(Number(id), 't.Calc');
              const got = [];
              for await (const r of calc.Count({ n: 5 })) got.push(r.n);
              return { out: str(got) };
            }
            case 'client': {
              const calc = await broker.dial(id, 't.Calc');
              async function* gen() { for (let i = 1; i <= 4; i++) yield { n: i }; }
              return { out: str((await calc.Sum(gen())).n) };
            }
            case 'bidi': {
              const calc = await broker.dial(id, 't.Calc');
              const got = [];
              for await (const r of calc.Echo([{ n: 1 }, { n: 2 }, { n: 3 }])) got.push(r.n);
              return { out: str(got) };
            }
            case 'error': {
              const calc = await broker.dial(id, 't.Calc');
              try { await calc.Refuse({ n: 1 }); } catch (e) {
                return { out: str({ name: e.name, code: e.code, message: e.message, details: e.details,
                    rpc: e instanceof RpcError }) };
              }
              return { out: 'no error' };
            }
            case 'timeout': case 'deadline': {
              const calc = await broker.dial(id, 't.Calc');
              const options = what === 'timeout' ? { timeout: 200 } : { deadline: new Date(Date.now() + 200) };
              try { await calc.Hang({}, options); } catch (e) { return { out: str({ code: e.code, message: e.message }) }; }
              return { out: 'no error' };
            }
            case 'abort': {
              const calc = await broker.dial(id, 't.Calc');
              const c = new AbortController();
              const hanging = calc.Hang({}, { signal: c.signal });
              // aborted once the host runs Hang (earlier, the host might never see the call)
              while ((await calc.Hung({})).n === 0n) await new Promise((resolve) => setTimeout(resolve, 10));
              c.abort(new Error('enough'));
              try { await hanging; } catch (e) { return { out: e.message }; }
              return { out: 'no error' };
            }
            case 'metadata': {
              const calc = await broker.dial(id, 't.Calc');
              const m = { 'x-trace': 'abc', 'X-Many': ['1', '2'], 'x-raw-bin': new Uint8Array([0, 255, 7]) };
              return { out: (await calc.Meta({}, { metadata: m })).s };
            }
            case 'misfit': {
              const calc = await broker.dial(id, 't.Calc');
              try { await calc.Add({ n: 'x' }); } catch (e) { return { out: str({ code: e.code, message: e.message }) }; }
              return { out: 'no error' };
            }
            case 'slow': {
              const calc = await broker.dial(id, 't.Calc');
              let got = 0;
              for await (const r of calc.Count({ n: 100000 })) {
                if (++got === 3) await new Promise((resolve) => setTimeout(resolve, 300));
                if (got === 5) break;
              }
              return { out: str(got) };
            }
            case 'serve': {
              const served = await broker.serve('t.Calc', doubler);
              return { out: typeof served, id: served };
            }
            case 'loop': {
              const served = await broker.serve('t.Calc', doubler);
              const calc = await broker.dial(served, 't.Calc');
              const counted = [];
              for await (const r of calc.Count({ n: 3 })) counted.push(r.n);
              const echoed = [];
              for await (const r of calc.Echo([{ n: 1 }, { n: 2 }])) echoed.push(r.n);
              return { out: str([(await calc.Add({ n: 4 })).n, counted, (await calc.Sum([{ n: 1 }, { n: 2 }])).n,
                  echoed]) };
            }
            case 'stop': {
              return { out: str([await broker.stop(id), await broker.stop(id)]) };
            }
            case 'misspelt': {
              try { await broker.serve('t.Calc', { Ad() {} }); } catch (e) { return { out: e.message }; }
              return { out: 'no error' };
            }
            case 'unknown': {
              try { await broker.dial(id, 'no.Such'); } catch (e) { return { out: e.message }; }
              return { out: 'no error' };
            }
            case 'nothing-offered': {
              try { await broker.dial(id, 't.Calc'); } catch (e) { return { out: str({ code: e.code, message: e.message }) }; }
              return { out: 'no error' };
            }
            case 'held': {
              try { await kept.Hang({}); } catch (e) { return { out: str({ code: e.code, message: e.message }) }; }
              return { out: 'no error' };
            }
            case 'hold': {
              const calc = await broker.dial(id, 't.Calc');
              let yielded = 0;
              async function* many() { for (let i = 0; i < 100000; i++) { yielded++; yield { n: i }; } }
              try { await calc.Hold(many(), { timeout: 500 }); } catch (e) { return { out: str({ code: e.code, yielded }) }; }
              return { out: 'no error' };
            }
            case 'stream-abort': {
              const calc = await broker.dial(id, 't.Calc');
              const c = new AbortController();
              let got = 0;
              try {
                for await (const r of calc.Count({ n: 100000 }, { signal: c.signal })) {
                  if (++got === 3) {
                    await new Promise((resolve) => setTimeout(resolve, 100));  // responses read ahead meanwhile
                    c.abort();
                  }
                }
              } catch (e) { return { out: str({ code: e.code, got }) }; }
              return { out: 'no error' };
            }
            case 'hangup': {
              const calc = await broker.dial(id, 't.Calc');
              const before = (await calc.Add({ n: 1 })).n;
              const closed = [await broker.close(id), await broker.close(id)];
              try { await calc.Add({ n: 1 }); } catch (e) { return { out: str({ before, closed, code: e.code }) }; }
              return { out: 'no error' };
            }
            case 'keep': {
              kept = await broker.dial(id, 't.Calc');
              return { out: str((await kept.Add({ n: 1 })).n) };
            }
          }
          throw new RpcError('INVALID_ARGUMENT', 'no case ' + what);
        },
      };
      """;

  @TempDir Path dir;
  FileDescriptor file;
  Descriptors.ServiceDescriptor calc;
  Descriptors.Descriptor number;
  Descriptors.MethodDescriptor go;
  InProcessBroker broker;
  long host;
  ScriptRuntime runtime;
  final AtomicLong produced = new AtomicLong();
  final CompletableFuture<CallFailure> hangCancelled = new CompletableFuture<>();
  final CompletableFuture<Void> hangCalled = new CompletableFuture<>();

  @BeforeEach
  void setUp() throws Exception {
    Path proto = Files.writeString(dir.resolve("calc.proto"), """
        syntax = "proto3";
        package t;
        message N { int64 n = 1; string s = 2; }
        message Run { string out = 1; int64 id = 2; }
        service Calc {
          rpc Add(N) returns (N);
          rpc Count(N) returns (stream N);
          rpc Sum(stream N) returns (N);
          rpc Echo(stream N) returns (stream N);
          rpc Hang(N) returns (N);
          rpc Refuse(N) returns (N);
          rpc Meta(N) returns (N);
          rpc Hold(stream N) returns (N);
          rpc Hung(N) returns (N);
        }
        service Test { rpc Go(Run) returns (Run); }
        """);
    var schema = new ProtoFileLoader().load(List.of(proto), List.of());
    calc = schema.service("t.Calc").orElseThrow();
    file = calc.getFile();
    number = calc.findMethodByName("Add").getInputType();
    go = schema.service("t.Test").orElseThrow().findMethodByName("Go");
    broker = new InProcessBroker();
    host = broker.offer(List.of(calc), hostCalc());
    runtime = load(broker);
  }

  @AfterEach
  void tearDown() {
    runtime.close();
    broker.close();
  }

  ScriptRuntime load(dev.bridge.rpc.Broker with) throws Exception {
    Path script = ScriptFixture.write(dir, "main.mjs", SCRIPT);
    return ScriptRuntime.load(SharedEngine.ENGINE, script, dir, ConsoleSink.discard(),
        ScriptOptions.defaults().withSchema(List.of(file)).withBroker(with));
  }

  DynamicMessage n(long value) {
    return DynamicMessage.newBuilder(number).setField(number.findFieldByName("n"), value).build();
  }

  static long n(DynamicMessage message) {
    return (Long) message.getField(message.getDescriptorForType().findFieldByName("n"));
  }

  DynamicMessage goMessage(String what, long id) {
    var type = go.getInputType();
    return DynamicMessage.newBuilder(type).setField(type.findFieldByName("out"), what)
        .setField(type.findFieldByName("id"), id).build();
  }

  /** Runs case {@code what} of the script with broker id {@code id}; its {@code out}. */
  String go(String what, long id) throws Exception {
    return (String) run(what, id).getField(go.getOutputType().findFieldByName("out"));
  }

  DynamicMessage run(String what, long id) throws Exception {
    return ScriptFixture.call(runtime, go, goMessage(what, id));
  }

  Handlers hostCalc() {
    return new Handlers() {
      @Override
      public Optional<MethodHandler> find(Descriptors.MethodDescriptor method) {
        return Optional.of(switch (method.getName()) {
          case "Add" -> ServerCalls.unary((request, context) -> CompletableFuture.completedFuture(n(n(request) + 1)));
          case "Count" -> ServerCalls.serverStreaming((request, responses, context) -> {
            long[] next = {0};
            Runnable pump = () -> {
              synchronized (next) {
                while (next[0] < n(request) && responses.isReady() && !context.cancellation().isCancelled()) {
                  produced.incrementAndGet();
                  responses.next(n(next[0]++));
                }
                if (next[0] == n(request)) {
                  next[0]++;
                  responses.complete();
                }
              }
            };
            responses.setOnReady(pump);
            pump.run();
          });
          case "Sum" -> ServerCalls.clientStreaming((requests, context) -> {
            var total = new CompletableFuture<DynamicMessage>();
            long[] sum = {0};
            requests.start(new RequestListener() {
              @Override
              public void onNext(DynamicMessage request) {
                sum[0] += n(request);
                requests.request(1);
              }

              @Override
              public void onCompleted() {
                total.complete(n(sum[0]));
              }
            });
            requests.request(1);
            return total;
          });
          case "Echo" -> ServerCalls.bidiStreaming((requests, responses, context) -> {
            requests.start(new RequestListener() {
              @Override
              public void onNext(DynamicMessage request) {
                responses.next(n(n(request) * 10));
                requests.request(1);
              }

              @Override
              public void onCompleted() {
                responses.complete();
              }
            });
            requests.request(1);
          });
          case "Hang" -> ServerCalls.unary((request, context) -> {
            context.cancellation().whenCancelled(hangCancelled::complete);
            hangCalled.complete(null);
            return new CompletableFuture<>();
          });
          case "Refuse" -> ServerCalls.unary((request, context) -> CompletableFuture.failedFuture(
              new CallFailure("INVALID_ARGUMENT", "n must be even", null, null, List.of(Any.pack(
                  BadRequest.newBuilder().addFieldViolations(BadRequest.FieldViolation.newBuilder()
                      .setField("n").setDescription("odd")).build())))));
          case "Hold" -> ServerCalls.clientStreaming((requests, context) -> {
            // Takes two requests and then none: the script's generator must be held back.
            requests.start(new RequestListener() {
              @Override
              public void onNext(DynamicMessage request) {}

              @Override
              public void onCompleted() {}
            });
            requests.request(2);
            return new CompletableFuture<>();
          });
          case "Hung" -> ServerCalls.unary((request, context) ->
              CompletableFuture.completedFuture(n(hangCalled.isDone() ? 1 : 0)));
          case "Meta" -> ServerCalls.unary((request, context) -> {
            List<String> seen = new ArrayList<>();
            new java.util.TreeMap<>(context.metadata()).forEach((key, values) -> {
              if (key.startsWith("x-")) {
                seen.add(key + "=" + String.join(",", values));
              }
            });
            context.binaryMetadata().forEach((key, values) -> seen.add(key + "=" + HexFormat.of().formatHex(values.get(0))));
            return CompletableFuture.completedFuture(DynamicMessage.newBuilder(number)
                .setField(number.findFieldByName("s"), String.join(";", seen)).build());
          });
          default -> throw new AssertionError(method.getName());
        });
      }

      @Override
      public String describeMissing(Descriptors.MethodDescriptor method) {
        return "nothing is missing";
      }
    };
  }

  @Test
  void unaryCallsResolveToTheResponse() throws Exception {
    assertEquals("42", go("unary", host));
  }

  @Test
  void serverStreamingIsAnAsyncIterable() throws Exception {
    assertEquals("[0,1,2,3,4]", go("server", host));
  }

  @Test
  void clientStreamingTakesAnAsyncIterable() throws Exception {
    assertEquals("10", go("client", host));
  }

  @Test
  void bidiTakesAnIterableAndReturnsAnAsyncIterable() throws Exception {
    assertEquals("[10,20,30]", go("bidi", host));
  }

  @Test
  void failuresRejectWithAnRpcErrorCarryingTheDetails() throws Exception {
    String out = go("error", host);
    assertTrue(out.contains("\"name\":\"RpcError\""), out);
    assertTrue(out.contains("\"code\":\"INVALID_ARGUMENT\""), out);
    assertTrue(out.contains("\"message\":\"n must be even\""), out);
    assertTrue(out.contains("\"@type\":\"type.googleapis.com/google.rpc.BadRequest\""), out);
    assertTrue(out.contains("\"field\":\"n\""), out);
    assertTrue(out.contains("\"rpc\":true"), out);
  }

  @Test
  void aTimeoutOrDeadlineEndsTheCallWithDeadlineExceeded() throws Exception {
    assertTrue(go("timeout", host).contains("\"code\":\"DEADLINE_EXCEEDED\""));
    assertTrue(go("deadline", host).contains("\"code\":\"DEADLINE_EXCEEDED\""));
  }

  @Test
  void aSignalCancelsTheCallAndRejectsWithItsReason() throws Exception {
    assertEquals("enough", go("abort", host));
    assertEquals("CANCELLED", hangCancelled.get(10, TimeUnit.SECONDS).code());
  }

  @Test
  void metadataGoesWithTheCall() throws Exception {
    assertEquals("x-many=1,2;x-trace=abc;x-raw-bin=00ff07", go("metadata", host));
  }

  @Test
  void aRequestThatDoesNotFitNamesTheField() throws Exception {
    String out = go("misfit", host);
    assertTrue(out.contains("\"code\":\"INTERNAL\""), out);
    assertTrue(out.contains("t.Calc/Add: request.n"), out);
  }

  @Test
  void aSlowReaderHoldsALargeStreamBack() throws Exception {
    assertEquals("5", go("slow", host));
    assertTrue(produced.get() < 100, "the server produced " + produced.get() + " of 100000 responses");
  }

  @Test
  void requestsAreSentOnlyAsTheHostTakesThem() throws Exception {
    String out = go("hold", host);
    assertTrue(out.contains("\"code\":\"DEADLINE_EXCEEDED\""), out);
    long yielded = Long.parseLong(out.replaceAll(".*\"yielded\":(\\d+).*", "$1"));
    assertTrue(yielded < 100, "the generator yielded " + yielded + " requests while the host took 2");
  }

  @Test
  void aSignalEndsAStreamWithItsReason() throws Exception {
    assertEquals("{\"code\":\"CANCELLED\",\"got\":3}", go("stream-abort", host));
  }

  @Test
  void closeHangsUpAConnection() throws Exception {
    assertEquals("{\"before\":2,\"closed\":[true,false],\"code\":\"UNAVAILABLE\"}", go("hangup", host));
  }

  @Test
  void aServedObjectAnswersTheHostUnderItsId() throws Exception {
    DynamicMessage result = run("serve", 0);
    assertEquals("number", result.getField(go.getOutputType().findFieldByName("out")));
    long id = (Long) result.getField(go.getOutputType().findFieldByName("id"));
    assertTrue(broker.serving(id));
    try (GrpcRemoteChannel channel = broker.channel(id)) {
      var listener = new LinkedBlockingQueue<Object>();
      var call = channel.start(calc.findMethodByName("Add"), ClientCallOptions.none(), new dev.bridge.rpc.ClientListener() {
        @Override
        public void onMessage(DynamicMessage response) {
          listener.add(response);
        }

        @Override
        public void onClose(CallFailure failure, Map<String, List<String>> trailers, Map<String, List<byte[]>> binary) {
          listener.add(failure == null ? "OK" : failure);
        }
      });
      call.request(1);
      call.send(n(21));
      call.halfClose();
      assertEquals(42, n((DynamicMessage) listener.poll(10, TimeUnit.SECONDS)));
      assertEquals("OK", listener.poll(10, TimeUnit.SECONDS));
    }
    assertEquals("[true,false]", go("stop", id));
    assertFalse(broker.serving(id));
  }

  @Test
  void aScriptCanDialWhatItServesWithEveryShape() throws Exception {
    assertEquals("[8,[0,1,2],3,[101,102]]", go("loop", 0));
  }

  @Test
  void aMisspeltHandlerIsNamed() throws Exception {
    String out = go("misspelt", 0);
    assertTrue(out.contains("Ad matches no method of t.Calc (its methods: Add, Count, Echo, Hang, Hold, Hung, Meta, Refuse, Sum)"),
        out);
  }

  @Test
  void anUnknownServiceNamesTheLoadedFiles() throws Exception {
    String out = go("unknown", host);
    assertTrue(out.contains("no service no.Such in the loaded .proto files (calc.proto; their services: t.Calc, t.Test)"),
        out);
  }

  @Test
  void anIdNobodyOfferedIsUnavailable() throws Exception {
    String out = go("nothing-offered", 9999);
    assertTrue(out.contains("\"code\":\"UNAVAILABLE\""), out);
    assertTrue(out.contains("broker.dial(9999, \\\"t.Calc\\\"): the host offered no connection under broker id 9999"), out);
  }

  @Test
  void withoutAHostDialRejectsSayingSo() throws Exception {
    runtime.close();
    runtime = load(dev.bridge.rpc.Broker.unavailable("the broker needs a go-plugin host (bridgejs call has no broker)"));
    String out = go("nothing-offered", host);
    assertTrue(out.contains("\"code\":\"FAILED_PRECONDITION\""), out);
    assertTrue(out.contains("needs a go-plugin host"), out);
  }

  @Test
  void aReloadClosesTheReplacedVersionsClientsSayingSo() throws Exception {
    assertEquals("2", go("keep", host));
    var held = ScriptFixture.handler(runtime, go).unary(goMessage("held", host), new CallContext("t.Test/Go", Map.of()));
    hangCalled.get(10, TimeUnit.SECONDS);
    runtime.retire(java.time.Duration.ofSeconds(10));
    String out = (String) held.get(10, TimeUnit.SECONDS).getField(go.getOutputType().findFieldByName("out"));
    assertTrue(out.contains("\"code\":\"UNAVAILABLE\""), out);
    assertTrue(out.contains("t.Calc/Hang: the connection was closed by a reload"), out);
  }

  @Test
  void closingTheInstanceClosesItsClientsAndServices() throws Exception {
    assertEquals("2", go("keep", host));
    long served = (Long) run("serve", 0).getField(go.getOutputType().findFieldByName("id"));
    assertTrue(broker.serving(served));
    runtime.close();
    assertFalse(broker.serving(served));
    assertFalse(broker.dialed.isEmpty());
    broker.dialed.forEach(channel -> assertTrue(channel.isClosed(), channel.toString()));
  }
}
