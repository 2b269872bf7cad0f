package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DynamicMessage;
import dev.bridge.LogCapture;
import dev.bridge.rpc.CallContext;
import dev.bridge.rpc.CallFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** setTimeout, setInterval, setImmediate, queueMicrotask: when callbacks run, what failures do, and closing. */
class TimersTest {
  @TempDir Path dir;
  @TempDir Path files;
  private ScriptRuntime runtime;
  private LogCapture log;

  @BeforeEach
  void captureLog() {
    log = LogCapture.start("dev.bridge.script");
  }

  @AfterEach
  void close() {
    log.close();
    if (runtime != null) {
      runtime.close();
    }
  }

  private ScriptRuntime load(String source) throws Exception {
    return load(source, Duration.ofSeconds(30));
  }

  private ScriptRuntime load(String source, Duration callTimeout) throws Exception {
    runtime = ScriptRuntime.load(SharedEngine.ENGINE, ScriptFixture.write(dir, "main.mjs", source), files,
        ConsoleSink.discard(), ScriptOptions.defaults().withCallTimeout(callTimeout));
    return runtime;
  }

  private String text(String key) throws Exception {
    return new String(value(call(runtime, TestProtos.GET, get(key))), StandardCharsets.UTF_8);
  }

  private CompletableFuture<DynamicMessage> start(String key) {
    return ScriptFixture.handler(runtime, TestProtos.GET).unary(get(key), new CallContext("proto.KV/Get", Map.of()))
        .toCompletableFuture();
  }

  private static String text(CompletableFuture<DynamicMessage> call) throws Exception {
    return new String(value(call.get(30, TimeUnit.SECONDS)), StandardCharsets.UTF_8);
  }

  /** The first WARNING logged that contains {@code part}, waiting for it (the JS thread logs it a moment later). */
  private String awaitWarning(String part) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < end) {
      for (LogRecord record : log.records()) {
        if (record.getLevel() == Level.WARNING && record.getMessage().contains(part)) {
          return record.getMessage();
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no warning containing '" + part + "' in " + log.records().stream().map(LogRecord::getMessage).toList());
  }

  @Test
  void anAsyncHandlerAwaitingATimerAnswers() throws Exception {
    load("""
        const sleep = (ms, value) => new Promise((resolve) => setTimeout(resolve, ms, value));
        export async function Get({ key }) {
          return { value: await sleep(50, 'slept on ' + key) };
        }
        """);
    assertEquals("slept on k", text("k"));
    assertEquals(0, runtime.timersPending());
  }

  @Test
  void callbacksRunAfterTheCurrentCodeAndItsMicrotasksImmediatesFirstAndTimersInTheOrderTheyWereSet() throws Exception {
    load("""
        export async function Get() {
          const order = [];
          await new Promise((done) => {
            setImmediate((what) => order.push(what), 'immediate');
            setTimeout(() => order.push('timeout 0'), 0);
            setTimeout(() => order.push('timeout undefined'));
            setTimeout(() => order.push('timeout 1'), 1);
            setTimeout(() => order.push('timeout -5'), -5);
            queueMicrotask(() => order.push('microtask'));
            Promise.resolve().then(() => order.push('promise'));
            setTimeout(done, 20);
            order.push('synchronous');
          });
          return { value: order.join(', ') };
        }
        """);
    assertEquals("synchronous, microtask, promise, immediate, timeout 0, timeout undefined, timeout 1, timeout -5",
        text("k"));
  }

  @Test
  void clearedTimersNeverFire() throws Exception {
    load("""
        export async function Get() {
          const fired = [];
          clearTimeout(setTimeout(() => fired.push('cleared as object'), 1));
          clearTimeout(+setTimeout(() => fired.push('cleared by number'), 1));
          clearTimeout(String(setTimeout(() => fired.push('cleared by string'), 1)));
          clearInterval(setTimeout(() => fired.push('cleared with clearInterval'), 1));
          setTimeout(() => fired.push('closed'), 1).close();
          clearImmediate(setImmediate(() => fired.push('cleared immediate')));
          const refreshed = setTimeout(() => fired.push('cleared, then refreshed'), 1);
          clearTimeout(refreshed);
          refreshed.refresh();
          clearTimeout(undefined); clearTimeout(null); clearTimeout({}); clearTimeout(12345); clearImmediate('x');
          setTimeout(() => fired.push('kept'), 1);
          await new Promise((resolve) => setTimeout(resolve, 20));
          return { value: fired.join(', ') };
        }
        """);
    assertEquals("kept", text("k"));
    assertEquals(0, runtime.timersPending());
  }

  @Test
  void anIntervalFiresWithItsArgumentsUntilCleared() throws Exception {
    load("""
        let ticks = [];
        export async function Get({ key }) {
          if (key === 'ticks') return { value: ticks.join(', ') };
          await new Promise((done) => {
            const interval = setInterval((a, b) => {
              ticks.push(a + b + ticks.length);
              if (ticks.length === 3) { clearInterval(interval); done(); }
            }, 1, 'x', 'y');
          });
          await new Promise((resolve) => setTimeout(resolve, 20));
          return { value: ticks.join(', ') };
        }
        """);
    assertEquals("xy0, xy1, xy2", text("run"));
    assertEquals(0, runtime.timersPending());
    assertEquals("xy0, xy1, xy2", text("ticks"));
  }

  @Test
  void aCallIsAnsweredWhileAnotherStillWaitsOnItsLongerTimer() throws Exception {
    load("""
        const log = [];
        let wakeA;
        let longTimer;
        export async function Get({ key }) {
          if (key === 'A') {
            log.push('A waits');
            await new Promise((resolve) => { wakeA = resolve; longTimer = setTimeout(resolve, 600_000); });
            log.push('A woke');
          } else {
            log.push('B waits');
            await new Promise((resolve) => setTimeout(resolve, 1));
            log.push('B woke');
            clearTimeout(longTimer);
            setTimeout(wakeA, 1);
          }
          return { value: log.join(', ') };
        }
        """);
    var a = start("A");
    var b = start("B");
    assertEquals("A waits, B waits, B woke", text(b));
    assertEquals("A waits, B waits, B woke, A woke", text(a));
    assertEquals(0, runtime.timersPending());
  }

  @Test
  void aThrowingCallbackIsLoggedWithItsStackAndEverythingElseGoesOn() throws Exception {
    load("""
        let ticks = 0;
        export async function Get({ key }) {
          if (key === 'throw') {
            setTimeout(function explode() {
              throw new Error('boom');
            }, 1);
            queueMicrotask(function microBoom() { throw new TypeError('micro boom'); });
            await new Promise((done) => {
              const interval = setInterval(() => {
                if (++ticks === 3) { clearInterval(interval); done(); }
                throw new RangeError('tick ' + ticks);
              }, 1);
            });
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
          return { value: 'ticks ' + ticks };
        }
        """);
    assertEquals("ticks 3", text("throw"));
    String explode = awaitWarning("Error: boom");
    assertTrue(explode.startsWith("setTimeout #1 (explode) threw: Error: boom"), explode);
    assertTrue(explode.contains("main.mjs:5:"), explode);
    assertTrue(awaitWarning("micro boom").startsWith("queueMicrotask (microBoom) threw: TypeError: micro boom"));
    assertTrue(awaitWarning("tick 3").startsWith("setInterval #2 (anonymous) threw: RangeError: tick 3"));
    assertEquals("ticks 3", text("next"));
  }

  @Test
  void aRunawayCallbackIsInterruptedAndTheRuntimeKeepsServing() throws Exception {
    load("""
        let count = 0;
        let spins = 0;
        export async function Get({ key }) {
          count++;
          if (key === 'spin') setTimeout(function spin() { for (;;) {} }, 1);
          if (key === 'spin forever') setInterval(function again() { spins++; for (;;) {} }, 1);
          if (key === 'wait') await new Promise((resolve) => setTimeout(resolve, 20));
          return { value: count + ' calls, ' + spins + ' spins' };
        }
        """, Duration.ofMillis(300));
    assertEquals("1 calls, 0 spins", text("spin"));
    assertEquals("setTimeout #1 (spin) ran longer than 300 ms and had to be interrupted",
        awaitWarning("(spin) ran longer"));
    assertEquals("2 calls, 0 spins", text("after"));

    assertEquals("3 calls, 0 spins", text("spin forever"));
    awaitWarning("(again) ran longer");
    assertEquals("4 calls, 1 spins", text("wait"));  // an interval interrupted once is not run again
    assertEquals(0, runtime.timersPending());
  }

  @Test
  void aHandlerWaitingOnALongTimerEndsAtTheCallTimeout() throws Exception {
    load("""
        export async function Get({ key }) {
          if (key === 'long') await new Promise((resolve) => setTimeout(resolve, 600_000));
          return { value: key };
        }
        """, Duration.ofMillis(200));
    var e = assertThrows(ExecutionException.class, () -> start("long").get(10, TimeUnit.SECONDS));
    CallFailure failure = assertInstanceOf(CallFailure.class, e.getCause());
    assertEquals("DEADLINE_EXCEEDED", failure.code());
    assertEquals("proto.KV/Get: handler did not finish within 200 ms (its promise had not settled)", failure.getMessage());
    assertEquals("next", text("next"));
    assertEquals(1, runtime.timersPending());  // a timer belongs to the module, not to the call that set it
  }

  @Test
  void closingCancelsPendingTimersPromptlyAndTheirCallbacksNeverRun() throws Exception {
    load("""
        export function Get() {
          setTimeout(() => fs.writeFileSync('long', 'fired'), 600_000);
          setInterval(() => fs.writeFileSync('interval', 'fired'), 100);
          setTimeout(() => fs.writeFileSync('short', 'fired'), 100);
          return { value: 'armed' };
        }
        """);
    assertEquals("armed", text("k"));
    assertEquals(3, runtime.timersPending());
    long start = System.nanoTime();
    runtime.close(Duration.ofSeconds(30));  // a close that waited for timers would take 30 s or more
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "close waited for the timers");
    assertEquals(0, runtime.timersPending());
    Thread.sleep(300);  // past the short ones' due time: they must not run
    assertFalse(Files.exists(files.resolve("short")));
    assertFalse(Files.exists(files.resolve("interval")));
  }

  @Test
  void closeLetsACallWaitingOnATimerFinishFirst() throws Exception {
    load("""
        export async function Get() {
          await new Promise((resolve) => setTimeout(resolve, 100));
          return { value: 'finished' };
        }
        """);
    var waiting = start("k");
    runtime.close();
    assertEquals("finished", text(waiting));
  }

  @Test
  void badCallbacksThrowNodesTypeErrorAndOddDelaysBecomeOneMillisecond() throws Exception {
    load("""
        function attempt(f) {
          try { f(); return 'no error'; } catch (e) { return e.name + ' [' + e.code + ']: ' + e.message; }
        }
        export async function Get() {
          const results = [
            attempt(() => setTimeout('console.log(1)', 1)),
            attempt(() => setInterval(undefined, 1)),
            attempt(() => setImmediate(42)),
            attempt(() => queueMicrotask(null)),
            attempt(() => setTimeout({}, 1)),
          ];
          const fired = [];
          await new Promise((done) => {
            setTimeout(() => fired.push('NaN'), 'soon');
            setTimeout(() => fired.push('too long'), 2 ** 31);
            setTimeout(() => fired.push('fraction'), 1.9);
            setTimeout(() => fired.push('numeric string'), '2');
            setTimeout(done, 30);
          });
          return { value: results.join('\\n') + '\\n' + fired.join(', ') };
        }
        """);
    assertEquals("""
        TypeError [ERR_INVALID_ARG_TYPE]: The "callback" argument must be of type function. Received string
        TypeError [ERR_INVALID_ARG_TYPE]: The "callback" argument must be of type function. Received undefined
        TypeError [ERR_INVALID_ARG_TYPE]: The "callback" argument must be of type function. Received number
        TypeError [ERR_INVALID_ARG_TYPE]: The "callback" argument must be of type function. Received null
        TypeError [ERR_INVALID_ARG_TYPE]: The "callback" argument must be of type function. Received object
        NaN, too long, fraction, numeric string""", text("k"));
    assertEquals("setTimeout: a delay of 2147483648 ms does not fit in a 32-bit signed integer; 1 ms is used instead",
        awaitWarning("does not fit"));
  }

  @Test
  void timersAreNodeLikeTimeoutObjectsWhosePrimitiveValueIsTheId() throws Exception {
    load("""
        export async function Get() {
          const seen = [];
          let count = 0;
          await new Promise((done) => {
            const t = setTimeout(function (arg) {
              seen.push('this is the timeout: ' + (this === t) + ', arg ' + arg);
              if (++count === 2) done(); else t.refresh();  // refresh re-arms a timeout that has fired
            }, 1, 'a');
            seen.push(typeof t, Object.prototype.toString.call(t), t.constructor.name, typeof +t, `${t}` === String(+t),
                t.hasRef(), t.unref() === t, t.hasRef(), t.ref() === t, t.hasRef());
            const i = setImmediate(() => {});
            seen.push(i.constructor.name, i.hasRef(), i.unref().hasRef());
            seen.push(Object.getOwnPropertyNames(Object.getPrototypeOf(t)).join(' '));
            seen.push(Object.getOwnPropertyNames(Object.getPrototypeOf(i)).join(' '));
            try { new t.constructor(); } catch (e) { seen.push(e.message); }
          });
          return { value: seen.join('\\n') };
        }
        """);
    assertEquals("""
        object
        [object Object]
        Timeout
        number
        true
        true
        true
        false
        true
        true
        Immediate
        true
        false
        constructor hasRef ref unref refresh close
        constructor hasRef ref unref
        Illegal constructor
        this is the timeout: true, arg a
        this is the timeout: true, arg a""", text("k"));
  }

  @Test
  void timersSetWhileTheModuleLoadsRunOnceItHasLoaded() throws Exception {
    load("""
        const log = ['loading'];
        setImmediate(() => log.push('immediate set at load'));
        setTimeout(() => log.push('timer set at load'), 1);
        export async function Get() {
          await new Promise((resolve) => setTimeout(resolve, 20));
          return { value: log.join(', ') };
        }
        """);
    assertEquals("loading, immediate set at load, timer set at load", text("k"));
  }

  @Test
  void theTimerFunctionsAreGlobalsAndNothingOfTheHostShows() throws Exception {
    load("""
        export function Get() {
          const names = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate',
              'queueMicrotask'];
          const shapes = names.map((n) => n + ':' + typeof globalThis[n]);
          const hostish = Object.getOwnPropertyNames(globalThis).filter((n) => /host|timer|fire|armed/i.test(n));
          return { value: shapes.join(' ') + ' | ' + hostish.join(' ') };
        }
        """);
    assertEquals("setTimeout:function clearTimeout:function setInterval:function clearInterval:function "
        + "setImmediate:function clearImmediate:function queueMicrotask:function | ", text("k"));
  }

  @Test
  void timerGlobalsAreOrdinaryWritableGlobalsOnceUsed() throws Exception {
    load("""
        const timeout = setTimeout;
        const shapes = ['setTimeout', 'setImmediate'].map((n) => {
          const own = Object.getOwnPropertyDescriptor(globalThis, n);
          return [n, typeof own.value, own.writable, own.enumerable, own.configurable].join(':');
        });
        export function Get() {
          return { value: shapes.join(' ') + ' | ' + (timeout === setTimeout) };
        }
        """);
    assertEquals("setTimeout:function:true:false:true setImmediate:function:true:false:true | true", text("k"));
  }

  @Test
  void aScriptMayReplaceOneTimerBeforeUsingAnyAndTheOthersStillWork() throws Exception {
    load("""
        globalThis.setTimeout = (callback) => { callback('replaced'); return 0; };
        export async function Get() {
          let first;
          setTimeout((how) => { first = how; });
          const second = await new Promise((resolve) => setImmediate(() => resolve('immediate')));
          return { value: first + ' ' + second };
        }
        """);
    assertEquals("replaced immediate", text("k"));
  }
}
