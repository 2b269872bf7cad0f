package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.CallCancellation;
import dev.bridge.rpc.CallContext;
import dev.bridge.rpc.CallFailure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A call's time limit, the host's deadline and cancellation, and what the handler sees of them. */
class CallTimeLimitTest {
  private static final String SCRIPT = """
      let count = 0;
      const seen = [];
      export function Get({ key }, context) {
        count++;
        if (key === 'loop') { for (;;) {} }
        if (key === 'never') { return new Promise(() => {}); }
        if (key === 'watch') {
          context.signal.addEventListener('abort', () => {
            seen.push('listener ' + context.signal.aborted + ' ' + context.signal.reason.code);
          });
          context.signal.onabort = (event) => seen.push('onabort ' + event.type);
          return new Promise(() => {});
        }
        if (key === 'late') {
          // Reads the signal only after its call has been cancelled.
          return new Promise((resolve) => setTimeout(() => {
            seen.push('late ' + context.signal.aborted + ' ' + context.signal.reason.code);
            resolve({});
          }, 300));
        }
        if (key === 'seen') { return { value: seen.join(', ') }; }
        if (key === 'context') {
          const d = context.deadline;
          return { value: [d === null ? 'null' : (d instanceof Date) + ' ' + d.getTime(), context.signal.aborted,
              String(context.signal.reason), typeof context.signal.throwIfAborted,
              Object.prototype.toString.call(context.signal)].join(' ') };
        }
        return { value: String(count) };
      }
      """;

  @RegisterExtension final ScriptsUnderTest scripts = new ScriptsUnderTest();
  private ScriptRuntime runtime;

  private ScriptRuntime load(Duration callTimeout) throws Exception {
    runtime = scripts.load(SCRIPT, ScriptOptions.defaults().withCallTimeout(callTimeout));
    return runtime;
  }

  private CompletableFuture<DynamicMessage> start(String key, CallContext context) {
    return ScriptFixture.handler(runtime, TestProtos.GET).unary(get(key), context).toCompletableFuture();
  }

  private static CallContext context(Optional<Instant> deadline, CallCancellation cancellation) {
    return new CallContext("proto.KV/Get", Map.of(), deadline, cancellation);
  }

  private static CallFailure failureOf(CompletableFuture<DynamicMessage> call) throws Exception {
    var e = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
    return assertInstanceOf(CallFailure.class, e.getCause());
  }

  private String text(String key) throws Exception {
    return new String(value(call(runtime, TestProtos.GET, get(key))), StandardCharsets.UTF_8);
  }

  /** The script's record of abort events, once it shows {@code expected} (abort listeners run a moment later). */
  private void awaitSeen(String expected) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String seen = text("seen");
    while (!seen.equals(expected) && System.nanoTime() < end) {
      Thread.sleep(20);
      seen = text("seen");
    }
    assertEquals(expected, seen);
  }

  /** The call's future completes a moment before the runtime forgets it. */
  private void awaitNoCallsInFlight() throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (runtime.callsInFlight() > 0 && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertEquals(0, runtime.callsInFlight());
  }

  @Test
  void anEndlessLoopIsInterruptedWithDeadlineExceededAndTheCallsBehindItAndModuleStateAreFine() throws Exception {
    load(Duration.ofMillis(300));
    var looping = start("loop", new CallContext("proto.KV/Get", Map.of()));
    var queued = start("after", new CallContext("proto.KV/Get", Map.of()));
    CallFailure failure = failureOf(looping);
    assertEquals("DEADLINE_EXCEEDED", failure.code());
    assertEquals("proto.KV/Get: handler ran longer than 300 ms and was interrupted", failure.getMessage());
    assertEquals("2", new String(value(queued.get(10, TimeUnit.SECONDS)), StandardCharsets.UTF_8));
    assertEquals("3", text("again"));
  }

  @Test
  void aPromiseThatNeverSettlesEndsAtTheTimeLimitAndIsNotKept() throws Exception {
    load(Duration.ofMillis(200));
    CallFailure failure = failureOf(start("never", new CallContext("proto.KV/Get", Map.of())));
    assertEquals("DEADLINE_EXCEEDED", failure.code());
    assertEquals("proto.KV/Get: handler did not finish within 200 ms (its promise had not settled)", failure.getMessage());
    awaitNoCallsInFlight();
    assertEquals("2", text("next"));
  }

  @Test
  void aSlowAsyncHandlerFailsWhenTheHostsDeadlinePassesBeforeTheTimeLimit() throws Exception {
    load(Duration.ofSeconds(30));
    var call = start("never", context(Optional.of(Instant.now().plusMillis(200)), new CallCancellation()));
    CallFailure failure = failureOf(call);
    assertEquals("DEADLINE_EXCEEDED", failure.code());
    assertEquals("proto.KV/Get: the host's deadline passed", failure.getMessage());
  }

  @Test
  void aCallWhoseDeadlinePassedWhileQueuedDoesNotRunItsHandler() throws Exception {
    load(Duration.ofSeconds(30));
    var call = start("count", context(Optional.of(Instant.now().minusMillis(1)), new CallCancellation()));
    CallFailure failure = failureOf(call);
    assertEquals("DEADLINE_EXCEEDED", failure.code());
    assertEquals("proto.KV/Get: the host's deadline passed before the handler started", failure.getMessage());
    assertEquals("1", text("count"));
  }

  @Test
  void theHostCancellingACallAbortsTheScriptsSignal() throws Exception {
    load(Duration.ofSeconds(30));
    var cancellation = new CallCancellation();
    var call = start("watch", context(Optional.empty(), cancellation));
    assertEquals("2", text("count")); // the watching handler has started
    cancellation.cancel(new CallFailure("CANCELLED", "proto.KV/Get: the host cancelled the call"));
    CallFailure failure = failureOf(call);
    assertEquals("CANCELLED", failure.code());
    awaitSeen("onabort abort, listener true CANCELLED");
    awaitNoCallsInFlight();
  }

  @Test
  void aSignalFirstReadAfterItsCallWasCancelledIsAlreadyAborted() throws Exception {
    load(Duration.ofSeconds(30));
    var cancellation = new CallCancellation();
    var call = start("late", context(Optional.empty(), cancellation));
    assertEquals("2", text("count")); // the handler has started, and not read its signal
    cancellation.cancel(new CallFailure("CANCELLED", "proto.KV/Get: the host cancelled the call"));
    assertEquals("CANCELLED", failureOf(call).code());
    awaitSeen("late true CANCELLED");
  }

  @Test
  void theSignalAbortsWithDeadlineExceededWhenTheTimeLimitPasses() throws Exception {
    load(Duration.ofMillis(200));
    assertEquals("DEADLINE_EXCEEDED", failureOf(start("watch", new CallContext("proto.KV/Get", Map.of()))).code());
    awaitSeen("onabort abort, listener true DEADLINE_EXCEEDED");
  }

  @Test
  void cancellingAnEndlessLoopInterruptsItAndServingGoesOn() throws Exception {
    load(Duration.ofSeconds(30));
    var cancellation = new CallCancellation();
    var looping = start("loop", context(Optional.empty(), cancellation));
    Thread.sleep(100); // let it start looping (if it has not, cancelling first works too)
    cancellation.cancel(new CallFailure("CANCELLED", "proto.KV/Get: the host cancelled the call"));
    assertEquals("CANCELLED", failureOf(looping).code());
    assertEquals("2", text("count"));
  }

  @Test
  void theHandlerSeesTheDeadlineAsADateAndASignalNotYetAborted() throws Exception {
    load(Duration.ofSeconds(30));
    Instant deadline = Instant.ofEpochMilli(System.currentTimeMillis() + 60_000);
    var withDeadline = start("context", context(Optional.of(deadline), new CallCancellation()));
    assertEquals("true " + deadline.toEpochMilli() + " false undefined function [object AbortSignal]",
        new String(value(withDeadline.get(10, TimeUnit.SECONDS)), StandardCharsets.UTF_8));
    assertEquals("null false undefined function [object AbortSignal]", text("context"));
  }

  @Test
  void theCallTimeoutMustBePositiveAndSane() {
    var zero = assertThrows(IllegalArgumentException.class, () -> new ScriptOptions(Duration.ZERO));
    assertEquals("callTimeout must be positive, got 0 s", zero.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ScriptOptions(Duration.ofDays(366)));
    assertEquals("1.5 s", ScriptOptions.describe(Duration.ofMillis(1500)));
    assertEquals("30 s", ScriptOptions.describe(Duration.ofSeconds(30)));
    assertTrue(ScriptOptions.describe(Duration.ofNanos(1_500_000)).equals("1.5 ms"));
  }
}
