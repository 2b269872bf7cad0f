package dev.bridge.rpc;

import static dev.bridge.rpc.Messages.text;
import static dev.bridge.rpc.Messages.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DynamicMessage;
import com.google.protobuf.StringValue;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Calls of every shape made in-process: requests pulled from the caller's iterator, responses as they come. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)  // a hang guard only
class LocalCallTest {
  private final CallContext context = new CallContext("t.S/M", Map.of());
  private final List<String> received = new CopyOnWriteArrayList<>();

  private static <T> T await(CompletableFuture<T> call) throws Exception {
    return call.get(10, TimeUnit.SECONDS);
  }

  private static Throwable failureOf(CompletableFuture<?> call) {
    var e = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
    return e.getCause();
  }

  /** Requests a test gives one by one; taking the next blocks until it is given, as reading a pipe does. */
  private static final class Given implements Iterator<DynamicMessage> {
    private static final DynamicMessage END = text("<end>");
    private final LinkedBlockingQueue<DynamicMessage> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger taken = new AtomicInteger();
    private DynamicMessage next;

    void give(String... texts) {
      for (String each : texts) {
        queue.add(text(each));
      }
    }

    void end() {
      queue.add(END);
    }

    @Override
    public boolean hasNext() {
      if (next == null) {
        try {
          next = queue.take();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }
      return next != END;
    }

    @Override
    public DynamicMessage next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      DynamicMessage taking = next;
      next = null;
      taken.incrementAndGet();
      return taking;
    }
  }

  /** Echoes each request, pulling the next only once the test allows it ({@code pulls}). */
  private static MethodHandler echo(LinkedBlockingQueue<Runnable> pulls) {
    return ServerCalls.bidiStreaming((requests, sink, context) -> {
      requests.start(new RequestListener() {
        @Override
        public void onNext(DynamicMessage request) {
          sink.next(request);
          pulls.add(() -> requests.request(1));
        }

        @Override
        public void onCompleted() {
          sink.complete();
        }
      });
      pulls.add(() -> requests.request(1));
    });
  }

  @Test
  void unaryGivesTheOneResponse() throws Exception {
    MethodHandler upper = ServerCalls.unary((request, context) ->
        CompletableFuture.completedFuture(text(text(request).toUpperCase())));
    assertEquals("A", text(await(LocalCall.unary(upper, text("a"), context))));
  }

  @Test
  void aOneResponseCallAnsweredTwiceOrNeverIsInternal() {
    MethodHandler twice = (requests, sink, context) -> {
      sink.next(text("1"));
      sink.next(text("2"));
      sink.complete();
    };
    var two = (CallFailure) failureOf(LocalCall.unary(twice, text("a"), context));
    assertEquals("INTERNAL", two.code());
    assertEquals("t.S/M: a second response to a call that takes one", two.getMessage());
    MethodHandler never = (requests, sink, context) -> sink.complete();
    var none = (CallFailure) failureOf(LocalCall.clientStreaming(never, List.<DynamicMessage>of().iterator(),
        new CallContext("t.S/M", Map.of())));
    assertEquals("INTERNAL", none.code());
  }

  @Test
  void aServerStreamsResponsesReachTheCallerAsTheyAreSent() throws Exception {
    var proceed = new CompletableFuture<Void>();
    MethodHandler counting = ServerCalls.serverStreaming((request, sink, context) -> {
      sink.next(text("1"));
      proceed.thenRun(() -> {
        sink.next(text("2"));
        sink.complete();
      });
    });
    var call = LocalCall.serverStreaming(counting, text("go"), context, response -> received.add(text(response)));
    assertEquals(List.of("1"), received, "before the stream ended");
    assertFalse(call.isDone());
    proceed.complete(null);
    await(call);
    assertEquals(List.of("1", "2"), received);
  }

  @Test
  void aStreamFailingAfterTwoResponsesKeepsThemAndFailsWithItsStatus() throws Exception {
    MethodHandler failing = ServerCalls.serverStreaming((request, sink, context) -> {
      sink.next(text("1"));
      sink.next(text("2"));
      sink.fail(new CallFailure("ABORTED", "t.S/M: no third"));
    });
    var call = LocalCall.serverStreaming(failing, text("go"), context, response -> received.add(text(response)));
    assertEquals("ABORTED", ((CallFailure) failureOf(call)).code());
    assertEquals(List.of("1", "2"), received);
  }

  @Test
  void aClientStreamIsReadFromTheIteratorOnlyAsTheHandlerPullsIt() throws Exception {
    var pulls = new LinkedBlockingQueue<Runnable>();
    var given = new Given();
    given.give("a", "b", "c");
    given.end();
    MethodHandler joining = PullingHandlers.joining(pulls, StringValue.getDescriptor());
    var call = LocalCall.clientStreaming(joining, given, context);
    for (int pulled = 1; pulled <= 3; pulled++) {
      pulls.poll(10, TimeUnit.SECONDS).run();
      Runnable nextPull = pulls.poll(10, TimeUnit.SECONDS);  // the request arrived
      assertEquals(pulled, given.taken.get(), "read no further than pulled");
      pulls.add(nextPull);
    }
    pulls.poll(10, TimeUnit.SECONDS).run();
    assertEquals("abc", text(await(call)));
  }

  @Test
  void bidiAnswersEachRequestBeforeTheNextIsGiven() throws Exception {
    var pulls = new LinkedBlockingQueue<Runnable>();
    var given = new Given();
    var call = LocalCall.bidiStreaming(echo(pulls), given, context, response -> received.add(text(response)));
    pulls.poll(10, TimeUnit.SECONDS).run();
    given.give("a");
    pulls.poll(10, TimeUnit.SECONDS).run();
    assertEquals(List.of("a"), received);
    given.give("b");
    given.end();
    pulls.poll(10, TimeUnit.SECONDS).run();
    await(call);
    assertEquals(List.of("a", "b"), received);
  }

  @Test
  void anIteratorThatThrowsEndsTheCallWithItsExceptionAsCauseAndCancelsIt() throws Exception {
    var bad = new IllegalArgumentException("stdin line 2: not JSON");
    Iterator<DynamicMessage> failing = List.of(text("a")).iterator();
    Iterator<DynamicMessage> requests = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public DynamicMessage next() {
        if (failing.hasNext()) {
          return failing.next();
        }
        throw bad;
      }
    };
    var pulls = new LinkedBlockingQueue<Runnable>();
    var call = LocalCall.bidiStreaming(echo(pulls), requests, context, response -> received.add(text(response)));
    pulls.poll(10, TimeUnit.SECONDS).run();
    pulls.poll(10, TimeUnit.SECONDS).run();
    var failed = assertInstanceOf(RequestsFailedException.class, failureOf(call));
    assertSame(bad, failed.getCause());
    assertEquals(List.of("a"), received);
    var told = new CompletableFuture<CallFailure>();
    context.cancellation().whenCancelled(told::complete);
    CallFailure reason = await(told);
    assertEquals("CANCELLED", reason.code());
    assertEquals("t.S/M: the caller's requests failed: stdin line 2: not JSON", reason.getMessage());
  }

  @Test
  void cancellingEndsTheCallAtOnceAndWhatTheHandlerSendsAfterIsDropped() throws Exception {
    var sinks = new CompletableFuture<ResponseSink>();
    MethodHandler waiting = ServerCalls.serverStreaming((request, sink, context) -> {
      sink.next(text("1"));
      sinks.complete(sink);
    });
    var call = LocalCall.serverStreaming(waiting, text("go"), context, response -> received.add(text(response)));
    context.cancellation().cancel(new CallFailure("CANCELLED", "t.S/M: the caller cancelled the call"));
    assertEquals("CANCELLED", ((CallFailure) failureOf(call)).code());
    ResponseSink sink = await(sinks);
    assertFalse(sink.isReady());
    sink.next(text("2"));
    sink.complete();
    assertEquals(List.of("1"), received);
  }

  @Test
  void theDeadlineCancelsTheCallWhenItPasses() throws Exception {
    var deadline = new CallContext("t.S/M", Map.of(), Optional.of(Instant.now().plusMillis(200)),
        new CallCancellation());
    var told = new CompletableFuture<CallFailure>();
    MethodHandler endless = ServerCalls.bidiStreaming((requests, sink, context) ->
        context.cancellation().whenCancelled(told::complete));
    var call = LocalCall.bidiStreaming(endless, new Given(), deadline, response -> {});
    CallFailure failure = (CallFailure) failureOf(call);
    assertEquals("DEADLINE_EXCEEDED", failure.code());
    assertEquals("t.S/M: the host's deadline passed", failure.getMessage());
    assertSame(failure, await(told));
  }

  @Test
  void aDeadlinePassedAlreadyDoesNotStartTheHandler() {
    var passed = new CallContext("t.S/M", Map.of(), Optional.of(Instant.now().minusMillis(1)), new CallCancellation());
    var ran = new AtomicInteger();
    MethodHandler counting = (requests, sink, context) -> ran.incrementAndGet();
    var failure = (CallFailure) failureOf(LocalCall.unary(counting, text("a"), passed));
    assertEquals("t.S/M: the host's deadline passed before the handler started", failure.getMessage());
    assertEquals(0, ran.get());
    assertTrue(passed.responseMetadata().headers().isEmpty());
  }
}
