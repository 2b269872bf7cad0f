package dev.bridge.script;

import static dev.bridge.script.StreamProtos.countRequest;
import static dev.bridge.script.StreamProtos.field;
import static dev.bridge.script.StreamProtos.item;
import static dev.bridge.script.StreamProtos.ping;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.rpc.BadRequest;
import dev.bridge.rpc.CallCancellation;
import dev.bridge.rpc.CallContext;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.Handlers;
import dev.bridge.rpc.RequestSource;
import dev.bridge.rpc.ResponseMetadata;
import dev.bridge.rpc.SingleRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Server-streaming, client-streaming and bidi handlers: README's JavaScript API for streams, in-process. */
class StreamingHandlersTest {
  static final String SCRIPT = """
      let produced = 0;
      const log = [];
      const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
      export const Inventory = {
        Get({ tag }) {
          if (tag === 'produced') return { name: 'produced', n: produced };
          return { name: log.join('; ') };
        },
        async *Count({ count, tag }, context) {
          try {
            switch (tag) {
              case 'plain': for (let n = 1n; n <= count; n++) yield { name: `item ${n}`, n }; break;
              case 'counted': for (let n = 1n; n <= count; n++) { produced++; yield { n }; } break;
              case 'forever': for (let n = 1n; ; n++) { yield { n }; await sleep(5); }
              case 'fail':
                for (let n = 1n; n <= count; n++) yield { n };
                throw new RpcError('FAILED_PRECONDITION', 'out of stock', { details: [{
                    '@type': 'type.googleapis.com/google.rpc.BadRequest',
                    fieldViolations: [{ field: 'count', description: 'too many' }] }] });
              case 'loop': yield { n: 1n }; for (;;) {}
              case 'slow': for (let n = 1n; n <= count; n++) { await sleep(20); yield { n }; } break;
              case 'misfit': yield { n: 1n }; yield { n: 'many' }; break;
              case 'headers':
                context.setHeader('x-first', 'yes');
                yield { n: 1n };
                try {
                  context.setHeader('x-late', 'no');
                  yield { name: 'setHeader did not throw' };
                } catch (e) {
                  yield { name: e.message, n: 2n };
                }
                break;
            }
          } finally {
            log.push(`${tag} finally aborted=${context.signal.aborted} ${context.signal.reason?.code ?? ''}`.trim());
            if (!context.signal.aborted) context.setTrailer('x-finally', tag);
          }
        },
        async Sum(requests, context) {
          let count = 0n, total = 0n;
          try {
            for await (const item of requests) { count++; total += item.n; }
          } catch (e) {
            log.push(`Sum read failed ${e.code} ${e === context.signal.reason}`);
            throw e;
          }
          return { count, total };
        },
        async *Echo(requests, context) {
          try {
            for await (const ping of requests) {
              if (ping.seq < 0n) for (;;) {}
              yield { seq: ping.seq, payload: ping.payload };
            }
          } catch (e) {
            log.push(`Echo read failed ${e.code} ${e === context.signal.reason}`);
            throw e;
          } finally {
            log.push(`Echo finally aborted=${context.signal.aborted}`);
          }
        },
      };
      """;
  /* Short, so that the tests of the limit are quick, but not so short that a loaded 2-core machine stalling the JS
     thread between two yields makes an ordinary turn overrun it. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

  @RegisterExtension final ScriptsUnderTest scripts = new ScriptsUnderTest();
  private ScriptRuntime runtime;

  @BeforeEach
  void load() throws Exception {
    runtime = scripts.load(SCRIPT, ScriptOptions.defaults().withCallTimeout(CALL_TIMEOUT));
  }

  static CallContext context(MethodDescriptor method) {
    return context(method, Optional.empty(), new CallCancellation());
  }

  static CallContext context(MethodDescriptor method, Optional<Instant> deadline, CallCancellation cancellation) {
    return new CallContext("streams.Inventory/" + method.getName(), Map.of(), deadline, cancellation)
        .withResponseMetadata(new ResponseMetadata());
  }

  private TestStreamSink count(long count, String tag, CallContext context) {
    TestStreamSink sink = new TestStreamSink(context);
    start(StreamProtos.COUNT, new SingleRequest(countRequest(count, tag)), sink);
    return sink;
  }

  /** Starts a call of {@code method} answering into {@code sink}, in the sink's context. */
  private void start(MethodDescriptor method, RequestSource requests, TestStreamSink sink) {
    ScriptFixture.handler(runtime, method).start(requests, sink, sink.context());
  }

  /** An Echo call reading {@code requests}: its responses. */
  private TestStreamSink echo(TestStreamSource requests, CallContext context) {
    TestStreamSink sink = new TestStreamSink(context);
    start(StreamProtos.ECHO, requests, sink);
    return sink;
  }

  private TestStreamSink count(long count, String tag) {
    return count(count, tag, context(StreamProtos.COUNT));
  }

  private String unary(String tag) throws Exception {
    DynamicMessage response = ScriptFixture.handler(runtime, StreamProtos.GET)
        .unary(countRequest(0, tag), context(StreamProtos.GET)).get(30, TimeUnit.SECONDS);
    return tag.equals("produced") ? String.valueOf(field(response, "n")) : (String) field(response, "name");
  }

  /** Waits until the script's log holds {@code entry}. */
  private void awaitLog(String entry) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String log;
    while (!(log = unary("log")).contains(entry)) {
      assertTrue(System.nanoTime() < until, () -> "log never held \"" + entry + "\": " + unary0());
      Thread.sleep(10);
    }
  }

  /** Waits until the handler reads its requests: its first read asks the transport for some. */
  private static void awaitFirstRead(TestStreamSource source) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (source.requested() == 0) {
      assertTrue(System.nanoTime() < until, "the handler never read its requests");
      Thread.sleep(5);
    }
  }

  private String unary0() {
    try {
      return unary("log");
    } catch (Exception e) {
      return e.toString();
    }
  }

  private static List<Object> fields(List<DynamicMessage> messages, String name) {
    return messages.stream().map(m -> field(m, name)).toList();
  }

  @Test
  void serverStreamSendsEachYield() throws Exception {
    TestStreamSink sink = count(3, "plain");
    assertNull(sink.awaitEnd());
    assertEquals(List.of("item 1", "item 2", "item 3"), fields(sink.received(), "name"));
    assertEquals(List.of(1L, 2L, 3L), fields(sink.received(), "n"));
  }

  @Test
  void clientStreamSumsItsRequests() throws Exception {
    CallContext context = context(StreamProtos.SUM);
    TestStreamSink sink = new TestStreamSink(context);
    TestStreamSource source = new TestStreamSource();
    start(StreamProtos.SUM, source, sink);
    for (int n = 1; n <= 10; n++) {
      source.send(item("i" + n, n));
    }
    source.halfClose();
    assertNull(sink.awaitEnd());
    DynamicMessage summary = sink.received().getFirst();
    assertEquals(10L, field(summary, "count"));
    assertEquals(55L, field(summary, "total"));
  }

  @Test
  void bidiEchoesAsRequestsCome() throws Exception {
    TestStreamSource source = new TestStreamSource();
    TestStreamSink sink = echo(source, context(StreamProtos.ECHO));
    source.send(ping(1));
    sink.awaitCount(1);
    source.send(ping(2));
    sink.awaitCount(2);
    source.halfClose();
    assertNull(sink.awaitEnd());
    assertEquals(List.of(1L, 2L), fields(sink.received(), "seq"));
    awaitLog("Echo finally aborted=false");
  }

  @Test
  void aGeneratorIsNotResumedWhileTheHostIsNotReading() throws Exception {
    int total = 200_000;
    int every = 20_000;
    TestStreamSink sink = count(total, "counted").pauseAfter(received -> received < total && received % every == 0);
    for (int paused = every; paused < total; paused += every) {
      sink.awaitCount(paused);
      Thread.sleep(20);
      long produced = Long.parseLong(unary("produced"));
      // What was yielded and not sent: at most the one being handed over.
      assertTrue(produced - paused <= 1, () -> "yielded " + produced + " with " + sink.count() + " sent");
      assertEquals(paused, sink.count());
      sink.setReady(true);
    }
    assertNull(sink.awaitEnd());
    assertEquals(total, sink.count());
  }

  @Test
  void requestsArePulledAsTheHandlerReads() throws Exception {
    CallContext context = context(StreamProtos.ECHO);
    TestStreamSink sink = new TestStreamSink(context).pauseAfter(received -> received == 100);
    // Asked for at each request(n): at most 16 beyond those taken, which are those echoed and the one in hand.
    java.util.concurrent.atomic.AtomicLong worst = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);
    TestStreamSource source = new TestStreamSource()
        .onRequest(total -> worst.accumulateAndGet(total - (sink.count() + 1), Math::max));
    start(StreamProtos.ECHO, source, sink);
    for (int seq = 1; seq <= 1000; seq++) {
      source.send(ping(seq));
    }
    source.halfClose();
    sink.awaitCount(100);
    Thread.sleep(100);
    assertEquals(100, sink.count());
    // Taken: the 100 echoed; asked for: at most 16 beyond.
    assertTrue(source.requested() <= 100 + RequestIterable.READ_AHEAD, () -> "requested " + source.requested());
    sink.setReady(true);
    assertNull(sink.awaitEnd());
    assertEquals(1000, sink.count());
    assertTrue(source.requested() <= 1000 + RequestIterable.READ_AHEAD);
    assertTrue(worst.get() <= RequestIterable.READ_AHEAD, () -> "asked for " + worst.get() + " beyond those taken");
  }

  @Test
  void cancellingAbortsTheSignalAndRunsFinally() throws Exception {
    CallCancellation cancellation = new CallCancellation();
    TestStreamSink sink = count(0, "forever", context(StreamProtos.COUNT, Optional.empty(), cancellation));
    sink.awaitCount(3);
    cancellation.cancel(new CallFailure("CANCELLED", "streams.Inventory/Count: the host cancelled the call"));
    assertEquals("CANCELLED", sink.awaitEnd().code());
    awaitLog("forever finally aborted=true CANCELLED");
  }

  @Test
  void cancellingFailsAPendingReadWithTheSignalsReason() throws Exception {
    CallCancellation cancellation = new CallCancellation();
    TestStreamSource source = new TestStreamSource();
    TestStreamSink sink = echo(source, context(StreamProtos.ECHO, Optional.empty(), cancellation));
    awaitFirstRead(source);
    cancellation.cancel(new CallFailure("CANCELLED", "streams.Inventory/Echo: the host cancelled the call"));
    assertEquals("CANCELLED", sink.awaitEnd().code());
    awaitLog("Echo read failed CANCELLED true; Echo finally aborted=true");

    CallCancellation second = new CallCancellation();
    CallContext sumContext = context(StreamProtos.SUM, Optional.empty(), second);
    TestStreamSink sum = new TestStreamSink(sumContext);
    TestStreamSource sumSource = new TestStreamSource();
    start(StreamProtos.SUM, sumSource, sum);
    awaitFirstRead(sumSource);
    second.cancel(new CallFailure("CANCELLED", "streams.Inventory/Sum: the host cancelled the call"));
    assertEquals("CANCELLED", sum.awaitEnd().code());
    awaitLog("Sum read failed CANCELLED true");
  }

  @Test
  void theHostsDeadlineEndsAStream() throws Exception {
    TestStreamSink sink = count(0, "forever",
        context(StreamProtos.COUNT, Optional.of(Instant.now().plusMillis(300)), new CallCancellation()));
    CallFailure end = sink.awaitEnd();
    assertEquals("DEADLINE_EXCEEDED", end.code());
    assertTrue(sink.count() > 3, () -> "only " + sink.count() + " sent");
    awaitLog("forever finally aborted=true DEADLINE_EXCEEDED");
  }

  @Test
  void aThrownStatusEndsTheStreamAfterItsResponses() throws Exception {
    TestStreamSink sink = count(3, "fail");
    CallFailure end = sink.awaitEnd();
    assertEquals(3, sink.count());
    assertEquals("FAILED_PRECONDITION", end.code());
    assertEquals("out of stock", end.getMessage());
    assertEquals("count", end.details().getFirst().unpack(BadRequest.class).getFieldViolations(0).getField());
    awaitLog("fail finally aborted=false");
  }

  @Test
  void aResponseThatDoesNotFitNamesItsField() throws Exception {
    TestStreamSink sink = count(0, "misfit");
    CallFailure end = sink.awaitEnd();
    assertEquals(1, sink.count());
    assertEquals("INTERNAL", end.code());
    assertTrue(end.getMessage().startsWith("streams.Inventory/Count: responses[1].n: "), end.getMessage());
    awaitLog("misfit finally aborted=false");
  }

  @Test
  void theTimeLimitAppliesToEachTurn() throws Exception {
    // 150 yields 20 ms apart: longer than the limit in all, never in one turn.
    TestStreamSink slow = count(150, "slow");
    TestStreamSink loop = count(0, "loop");
    CallFailure cut = loop.awaitEnd();
    assertEquals("DEADLINE_EXCEEDED", cut.code());
    assertTrue(cut.getMessage().contains("without yielding or awaiting"), cut.getMessage());
    assertEquals(1, loop.count());
    assertNull(slow.awaitEnd());
    assertEquals(150, slow.count());
    assertEquals("0", unary("produced"), "the script still serves");
  }

  @Test
  void theTimeLimitInterruptsARequestsTurn() throws Exception {
    TestStreamSource source = new TestStreamSource();
    TestStreamSink sink = echo(source, context(StreamProtos.ECHO));
    source.send(ping(1));
    sink.awaitCount(1);
    source.send(ping(-1));
    CallFailure cut = sink.awaitEnd();
    assertEquals("DEADLINE_EXCEEDED", cut.code());
    assertTrue(cut.getMessage().contains("without yielding or awaiting"), cut.getMessage());
    assertEquals("0", unary("produced"), "the script still serves");
  }

  @Test
  void headersGoWithTheFirstResponseTrailersUntilTheEnd() throws Exception {
    CallContext context = context(StreamProtos.COUNT);
    TestStreamSink sink = count(0, "headers", context);
    assertNull(sink.awaitEnd());
    DynamicMessage second = sink.received().get(1);
    assertTrue(((String) field(second, "name")).contains("the response headers were already sent"),
        () -> String.valueOf(field(second, "name")));
    assertEquals(List.of(new ResponseMetadata.Entry("x-first", "yes")), context.responseMetadata().headers());
    assertEquals(List.of(new ResponseMetadata.Entry("x-finally", "headers")), context.responseMetadata().trailers());
  }

  @Test
  void aStreamingHandlerMustReturnAnAsyncIterable() throws Exception {
    ScriptRuntime plain = scripts.load("export const Inventory = { Count() { return [{ n: 1 }]; } };");
    CallContext context = context(StreamProtos.COUNT);
    TestStreamSink sink = new TestStreamSink(context);
    ScriptFixture.handler(plain, StreamProtos.COUNT).start(new SingleRequest(countRequest(1, "")), sink, context);
    CallFailure end = sink.awaitEnd();
    assertNotNull(end);
    assertEquals("INTERNAL", end.code());
    assertTrue(end.getMessage().contains("must return an async iterable"), end.getMessage());
    assertTrue(end.getMessage().contains("async *Count"), end.getMessage());
  }

  @Test
  void aMissingHandlerIsDescribedInTheFormOfItsShape() throws Exception {
    Handlers flat = scripts.load("export function Get() { return {}; }").handlers();
    assertTrue(flat.describeMissing(StreamProtos.SUM).endsWith("(add: export async function Sum(requests, context) { ... })"),
        flat.describeMissing(StreamProtos.SUM));
    assertTrue(flat.describeMissing(StreamProtos.ECHO).endsWith(
        "(add: export async function* Echo(requests, context) { ... })"), flat.describeMissing(StreamProtos.ECHO));
    Handlers object = scripts.load("export const Inventory = { Get() { return {}; } };").handlers();
    assertTrue(object.describeMissing(StreamProtos.COUNT).endsWith("(add to it: async *Count(request, context) { ... })"),
        object.describeMissing(StreamProtos.COUNT));
  }

  @Test
  void anyAsyncIterableIsAStreamOfResponses() throws Exception {
    ScriptRuntime handWritten = scripts.load("""
        export const Inventory = {
          Count({ count }) {
            let n = 0n;
            return { [Symbol.asyncIterator]: () => ({
              next: () => Promise.resolve(n < count ? { value: { n: ++n }, done: false } : { done: true }),
            }) };
          },
        };
        """);
    CallContext context = context(StreamProtos.COUNT);
    TestStreamSink sink = new TestStreamSink(context);
    ScriptFixture.handler(handWritten, StreamProtos.COUNT).start(new SingleRequest(countRequest(3, "")), sink, context);
    assertNull(sink.awaitEnd());
    assertEquals(List.of(1L, 2L, 3L), fields(sink.received(), "n"));
  }
}
