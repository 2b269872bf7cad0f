package dev.bridge.rpc;

import static dev.bridge.rpc.Messages.text;
import static dev.bridge.rpc.Messages.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DynamicMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The four call shapes' adapters over a source and a sink a test drives, without a transport or JavaScript. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)  // a hang guard only
class ServerCallsTest {
  private final TestRequests requests = new TestRequests();
  private final TestResponses responses = new TestResponses();
  private final CallContext context = new CallContext("t.S/M", Map.of());
  private final AtomicInteger invoked = new AtomicInteger();

  private void start(MethodHandler handler) {
    handler.start(requests, responses, context);
  }

  private MethodHandler upperUnary() {
    return ServerCalls.unary((request, context) -> {
      invoked.incrementAndGet();
      return CompletableFuture.completedFuture(text(text(request).toUpperCase()));
    });
  }

  /** Sends "1".."count" while the sink is ready, waiting for onReady when it is not; then completes. */
  private static final class Counter {
    private final ResponseSink sink;
    private final int count;
    private int sent;
    final List<Integer> pausedAfter = new ArrayList<>();

    Counter(ResponseSink sink, int count) {
      this.sink = sink;
      this.count = count;
      sink.setOnReady(this::run);
    }

    synchronized void run() {
      while (sent < count) {
        if (!sink.isReady()) {
          pausedAfter.add(sent);
          return;
        }
        sink.next(text(String.valueOf(++sent)));
      }
      if (sent == count) {
        sent++;
        sink.complete();
      }
    }
  }

  @Test
  void unaryAnswersItsOneRequestAfterTheHalfClose() throws Exception {
    start(upperUnary());
    requests.send(text("a"));
    assertEquals(0, invoked.get(), "run before the half-close, when a second request would still be an error");
    requests.halfClose();
    assertTrue(responses.end().ok());
    assertEquals(List.of("A"), texts(responses.sent()));
    assertEquals(1, responses.ends());
  }

  @Test
  void unaryWithoutARequestIsInvalidArgumentAndTheMethodDoesNotRun() throws Exception {
    start(upperUnary());
    requests.halfClose();
    assertEquals("INVALID_ARGUMENT", responses.end().code());
    assertEquals("t.S/M: the caller sent no request", responses.end().message());
    assertEquals(0, invoked.get());
  }

  @Test
  void unaryWithTwoRequestsIsInvalidArgumentOnceAndTheMethodDoesNotRun() throws Exception {
    start(upperUnary());
    requests.send(text("a"));
    requests.send(text("b"));
    requests.halfClose();
    assertEquals("INVALID_ARGUMENT", responses.end().code());
    assertEquals("t.S/M: more than one request for a method that takes one", responses.end().message());
    assertEquals(0, invoked.get());
    assertEquals(1, responses.ends());
  }

  @Test
  void aCallCancelledBeforeItsRequestIsCompleteDoesNotRunTheMethod() throws Exception {
    start(upperUnary());
    requests.send(text("a"));
    context.cancellation().cancel(new CallFailure("CANCELLED", "t.S/M: the host cancelled the call"));
    requests.halfClose();
    assertEquals("CANCELLED", responses.end().code());
    assertEquals(0, invoked.get());
  }

  @Test
  void unaryFailuresBecomeTheirStatusAndAnythingElseIsUnknownOrInternal() throws Exception {
    var failing = new TestResponses();
    ServerCalls.unary((request, context) -> CompletableFuture.failedFuture(new CallFailure("NOT_FOUND", "no a")))
        .start(new SingleRequest(text("a")), failing, context);
    assertEquals("NOT_FOUND", failing.end().code());

    var throwing = new TestResponses();
    ServerCalls.unary((request, context) -> { throw new IllegalStateException("boom"); })
        .start(new SingleRequest(text("a")), throwing, context);
    assertEquals("UNKNOWN", throwing.end().code());
    assertEquals("boom", throwing.end().message());

    var empty = new TestResponses();
    ServerCalls.unary((request, context) -> CompletableFuture.completedFuture(null))
        .start(new SingleRequest(text("a")), empty, context);
    assertEquals("INTERNAL", empty.end().code());
    assertTrue(empty.sent().isEmpty());
  }

  @Test
  void aSinkThatCannotTakeTheResponseFailsTheCallInsteadOfLeavingItOpen() throws Exception {
    var refusing = new TestResponses() {
      @Override
      public synchronized void next(DynamicMessage response) {
        throw new IllegalStateException("too large");
      }
    };
    ServerCalls.unary((request, context) -> CompletableFuture.completedFuture(text("x")))
        .start(new SingleRequest(text("a")), refusing, context);
    assertEquals("INTERNAL", refusing.end().code());
    assertTrue(refusing.end().message().contains("too large"), refusing.end().message());
  }

  @Test
  void serverStreamingSendsItsResponsesThenCompletes() throws Exception {
    start(ServerCalls.serverStreaming((request, sink, context) -> new Counter(sink, 3).run()));
    requests.send(text("go"));
    requests.halfClose();
    assertTrue(responses.end().ok());
    assertEquals(List.of("1", "2", "3"), texts(responses.sent()));
  }

  @Test
  void serverStreamingWaitsWhileTheSinkIsNotReadyAndGoesOnWhenItIs() throws Exception {
    var counters = new CompletableFuture<Counter>();
    start(ServerCalls.serverStreaming((request, sink, context) -> {
      var counter = new Counter(sink, 5);
      counters.complete(counter);
      counter.run();
    }));
    responses.ready(false);
    requests.send(text("go"));
    requests.halfClose();
    Counter counter = counters.get();
    assertEquals(List.of(0), counter.pausedAfter);
    assertTrue(responses.sent().isEmpty());
    assertFalse(responses.ended());
    responses.ready(true);
    assertTrue(responses.end().ok());
    assertEquals(List.of("1", "2", "3", "4", "5"), texts(responses.sent()));
  }

  @Test
  void serverStreamingFailingAfterTwoResponsesKeepsThemAndEndsWithItsStatus() throws Exception {
    start(ServerCalls.serverStreaming((request, sink, context) -> {
      sink.next(text("1"));
      sink.next(text("2"));
      sink.fail(new CallFailure("ABORTED", "stopped at 2"));
    }));
    requests.send(text("go"));
    requests.halfClose();
    assertEquals("ABORTED", responses.end().code());
    assertEquals(List.of("1", "2"), texts(responses.sent()));

    var throwing = new TestResponses();
    ServerCalls.serverStreaming((request, sink, context) -> {
      sink.next(text("1"));
      throw new IllegalArgumentException("bad state");
    }).start(new SingleRequest(text("go")), throwing, context);
    assertEquals("UNKNOWN", throwing.end().code());
    assertEquals(List.of("1"), texts(throwing.sent()));
  }

  @Test
  void serverStreamingTakesExactlyOneRequest() throws Exception {
    start(ServerCalls.serverStreaming((request, sink, context) -> invoked.incrementAndGet()));
    requests.halfClose();
    assertEquals("INVALID_ARGUMENT", responses.end().code());

    var two = new TestRequests();
    var twoResponses = new TestResponses();
    ServerCalls.serverStreaming((request, sink, context) -> invoked.incrementAndGet()).start(two, twoResponses, context);
    two.send(text("a"));
    two.send(text("b"));
    two.halfClose();
    assertEquals("INVALID_ARGUMENT", twoResponses.end().code());
    assertEquals(0, invoked.get());
  }

  /** Pulls one request at a time, summing their lengths; answers at the half-close, or fails at "fail". */
  private static ServerCalls.ClientStreamingMethod summing() {
    return (source, context) -> {
      var result = new CompletableFuture<DynamicMessage>();
      source.start(new RequestListener() {
        int total;

        @Override
        public void onNext(DynamicMessage request) {
          if (text(request).equals("fail")) {
            result.completeExceptionally(new CallFailure("INVALID_ARGUMENT", "fail after " + total));
            return;
          }
          total += text(request).length();
          source.request(1);
        }

        @Override
        public void onCompleted() {
          result.complete(text(String.valueOf(total)));
        }
      });
      source.request(1);
      return result;
    };
  }

  @Test
  void clientStreamingPullsItsRequestsOneAtATimeAndAnswersOnce() throws Exception {
    start(ServerCalls.clientStreaming(summing()));
    assertEquals(1, requests.requested());
    requests.send(text("ab"));
    assertEquals(2, requests.requested());
    requests.send(text("cde"));
    assertEquals(3, requests.requested());
    requests.halfClose();
    assertTrue(responses.end().ok());
    assertEquals(List.of("5"), texts(responses.sent()));
  }

  @Test
  void clientStreamingFailingAfterTwoRequestsEndsWithItsStatusAndNoResponse() throws Exception {
    start(ServerCalls.clientStreaming(summing()));
    requests.send(text("ab"));
    requests.send(text("c"));
    requests.send(text("fail"));
    assertEquals("INVALID_ARGUMENT", responses.end().code());
    assertEquals("fail after 3", responses.end().message());
    assertTrue(responses.sent().isEmpty());
    assertEquals(3, requests.requested(), "nothing more is pulled once the method answered");
  }

  /** Echoes each request, pulling the next once it was sent; ends when the caller does, or when cancelled. */
  private static ServerCalls.BidiStreamingMethod echo(List<CallFailure> cancelledWith) {
    return (source, sink, context) -> {
      context.cancellation().whenCancelled(cancelledWith::add);
      source.start(new RequestListener() {
        @Override
        public void onNext(DynamicMessage request) {
          if (text(request).equals("fail")) {
            sink.fail(new CallFailure("FAILED_PRECONDITION", "no fail"));
            return;
          }
          sink.next(request);
          source.request(1);
        }

        @Override
        public void onCompleted() {
          sink.complete();
        }
      });
      source.request(1);
    };
  }

  @Test
  void bidiInterleavesRequestsAndResponses() throws Exception {
    List<CallFailure> cancelled = new ArrayList<>();
    start(ServerCalls.bidiStreaming(echo(cancelled)));
    requests.send(text("a"));
    assertEquals(List.of("a"), texts(responses.sent()));
    requests.send(text("b"));
    assertEquals(List.of("a", "b"), texts(responses.sent()));
    requests.halfClose();
    assertTrue(responses.end().ok());
    assertTrue(cancelled.isEmpty(), "a normal end is no cancellation");
  }

  @Test
  void bidiFailingAfterTwoMessagesKeepsThem() throws Exception {
    start(ServerCalls.bidiStreaming(echo(new ArrayList<>())));
    requests.send(text("a"));
    requests.send(text("b"));
    requests.send(text("fail"));
    assertEquals("FAILED_PRECONDITION", responses.end().code());
    assertEquals(List.of("a", "b"), texts(responses.sent()));
  }

  @Test
  void theCancellationReachesAStreamingMethodMidStream() throws Exception {
    List<CallFailure> cancelled = new ArrayList<>();
    start(ServerCalls.bidiStreaming(echo(cancelled)));
    requests.send(text("a"));
    context.cancellation().cancel(new CallFailure("DEADLINE_EXCEEDED", "t.S/M: the host's deadline passed"));
    assertEquals(1, cancelled.size());
    assertEquals("DEADLINE_EXCEEDED", cancelled.getFirst().code());
  }

  @Test
  void aBidiMethodThrowingAtStartFailsTheCall() throws Exception {
    start(ServerCalls.bidiStreaming((source, sink, context) -> { throw new CallFailure("UNAVAILABLE", "closed"); }));
    assertEquals("UNAVAILABLE", responses.end().code());
  }
}
