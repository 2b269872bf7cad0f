package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.context;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.put;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.CallFailure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Interrupting a runaway handler also drops the promise jobs its run had queued (GraalJS empties its
 * job queue when an evaluation is interrupted), so calls waiting on a promise it resolved cannot
 * resume: they end at their own time limit instead of hanging, and the plugin serves on.
 */
class InterruptKeepsOtherCallsTest {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

  @RegisterExtension final ScriptsUnderTest scripts = new ScriptsUnderTest();

  @ParameterizedTest
  @ValueSource(strings = {"for (;;) {}", "queueMicrotask(() => { for (;;) {} })"})
  void waitersThatAnInterruptedHandlerResumedEndAtTheirTimeLimit(String runaway) throws Exception {
    ScriptRuntime runtime = scripts.load("""
        let open;
        const gate = new Promise((resolve) => { open = resolve; });
        export async function Get({ key }) {
          if (key === 'after') return { value: 'still serving' };
          await gate;
          return { value: 'through ' + key };
        }
        export function Put() {
          open();
          %s
          return {};
        }
        """.formatted(runaway), ScriptOptions.defaults().withCallTimeout(CALL_TIMEOUT));
    List<CompletableFuture<DynamicMessage>> waiters = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      waiters.add(ScriptFixture.handler(runtime, TestProtos.GET).unary(get("w" + i), context(TestProtos.GET, Map.of()))
          .toCompletableFuture());
    }
    var cancellable = new dev.bridge.rpc.CallCancellation();
    var runawayCall = ScriptFixture.handler(runtime, TestProtos.PUT).unary(put("k", new byte[0]),
        new dev.bridge.rpc.CallContext("/proto.KV/Put", Map.of(), java.util.Optional.of(
            java.time.Instant.now().plusMillis(500)), cancellable)).toCompletableFuture();
    var failure = assertThrows(ExecutionException.class, () -> runawayCall.get(60, TimeUnit.SECONDS));
    assertEquals("DEADLINE_EXCEEDED", assertInstanceOf(CallFailure.class, failure.getCause()).code());
    for (CompletableFuture<DynamicMessage> waiter : waiters) {
      var ended = assertThrows(ExecutionException.class, () -> waiter.get(60, TimeUnit.SECONDS));
      CallFailure timedOut = assertInstanceOf(CallFailure.class, ended.getCause());
      assertEquals("DEADLINE_EXCEEDED", timedOut.code());
      assertEquals("proto.KV/Get: handler did not finish within 2 s (its promise had not settled)", timedOut.getMessage());
    }
    assertEquals("still serving", new String(value(ScriptFixture.call(runtime, TestProtos.GET, get("after"))),
        StandardCharsets.UTF_8));
  }
}
