package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Console output goes to the {@link ConsoleSink}, line by line, each line at the level of the console
 * method that wrote it, and never to the process stdout.
 */
class ConsoleOutputTest {
  @TempDir Path dir;
  @TempDir Path files;

  /** What the sink received, as {@code LEVEL text}. */
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final ConsoleSink sink = (level, line) -> lines.add(level + " " + line);

  @Test
  void consoleOutputGoesToTheSinkNotToStdout() throws Exception {
    PrintStream realOut = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true));
    try {
      run("""
          console.log('loaded');
          export function Get(request) {
            console.log('get', request.key, { n: 1 });
            console.info('info ünï');
            console.debug('debug');
            console.log({ s: "it's", b: new Uint8Array([1, 2]), n: 5n, a: [1, 'y'], m: new Map([['k', null]]) });
            console.warn('careful');
            console.error('broken\\nacross lines');
            return { value: '' };
          }
          """);
    } finally {
      System.setOut(realOut);
    }
    assertEquals(List.of("INFO loaded", "INFO get k { n: 1 }", "INFO info ünï", "DEBUG debug",
        "INFO { s: 'it\\'s', b: Uint8Array(2) [ 1, 2 ], n: 5n, a: [ 1, 'y' ], m: Map(1) { 'k' => null } }",
        "WARN careful", "ERROR broken", "ERROR across lines"), lines);
    assertEquals("", captured.toString());
  }

  @Test
  void eachMethodWritesAtItsLevelAndEveryLineOfAMessageKeepsIt() throws Exception {
    run("""
        export function Get() {
          console.debug('d1\\nd2');
          console.log('l1\\nl2');
          console.info('i');
          console.warn('w1\\nw2');
          console.error('e1\\ne2');
          console.log('after');
          return { value: '' };
        }
        """);
    assertEquals(List.of("DEBUG d1", "DEBUG d2", "INFO l1", "INFO l2", "INFO i", "WARN w1", "WARN w2",
        "ERROR e1", "ERROR e2", "INFO after"), lines);
  }

  @Test
  void aConsoleCallMadeWhileFormattingAnotherLeavesTheOuterLevelInPlace() throws Exception {
    run("""
        export function Get() {
          console.debug({ get x() { console.warn('inner'); return 1; } });
          console.error('outer', { get y() { console.info('inner2'); return 2; } }, 'end');
          return { value: '' };
        }
        """);
    assertEquals(List.of("WARN inner", "DEBUG { x: 1 }", "INFO inner2", "ERROR outer { y: 2 } end"), lines);
  }

  @Test
  void overlongLinesAreSplitAtTheirLevel() throws Exception {
    run("""
        export function Get() {
          console.warn('x'.repeat(%d));
          return { value: '' };
        }
        """.formatted(ConsoleLineWriter.MAX_LINE_BYTES + 3));
    assertEquals(List.of("WARN " + "x".repeat(ConsoleLineWriter.MAX_LINE_BYTES), "WARN xxx"), lines);
  }

  @Test
  void formatSpecifiersArePrintedAsWrittenAsGraalJsDoes() throws Exception {
    run("""
        export function Get() {
          console.log('%s is %d, %o', 'a', 1, { o: true });
          return { value: '' };
        }
        """);
    assertEquals(List.of("INFO %s is %d, %o a 1 { o: true }"), lines);
  }

  @Test
  void theOtherConsoleMethodsKeepWorkingAtSensibleLevels() throws Exception {
    run("""
        export function Get() {
          console.group('group');
          console.log('in group');
          console.assert(1 === 2, 'not equal');
          console.assert(true, 'never shown');
          console.count();
          console.count('k');
          console.countReset('k');
          console.count('k');
          console.dir('dir');
          console.clear();
          console.groupEnd();
          console.log('out of group');
          return { value: '' };
        }
        """);
    assertEquals(List.of("INFO group", "INFO   in group", "WARN   Assertion failed: not equal", "INFO   default: 1",
        "INFO   k: 1", "INFO   k: 1", "INFO   dir", "INFO out of group"), lines);
  }

  @Test
  void timersReportAtInfo() throws Exception {
    run("""
        export function Get() {
          console.time('t');
          console.timeLog('t', 'so far');
          console.timeEnd('t');
          return { value: '' };
        }
        """);
    assertEquals(2, lines.size(), lines::toString);
    for (String line : lines) {
      assertTrue(line.matches("INFO t: \\d+ms.*"), line);
    }
  }

  @Test
  void consoleIsAnOrdinaryGlobalThatFormatsFromItsFirstUseAndCanBeReplaced() throws Exception {
    run("""
        const before = typeof console;
        const { log } = console;
        log('destructured', { a: 1 });
        const own = Object.getOwnPropertyDescriptor(globalThis, 'console');
        console.log(before, typeof own.value, own.writable, own.enumerable, own.configurable);
        export function Get() {
          const lines = [];
          globalThis.console = { log: (...args) => lines.push(args.join('+')) };
          console.log('a', 'b');
          return { value: lines.join() };
        }
        """);
    assertEquals(List.of("INFO destructured { a: 1 }", "INFO object object true false true"), lines);
  }

  @Test
  void aScriptMayReplaceConsoleBeforeEverUsingIt() throws Exception {
    run("""
        const seen = [];
        globalThis.console = { log: (text) => seen.push(text) };
        console.log('mine');
        export function Get() {
          return { value: seen.join() };
        }
        """);
    assertEquals(List.of(), lines);
  }

  @Test
  void aFirstUseWhoseInstallFailsIsRetriedAtTheNextUse() throws Exception {
    run("""
        const entries = Object.entries;
        Object.entries = () => { throw new Error('entries unavailable'); };
        let failure;
        try {
          console.log('lost');
        } catch (e) {
          failure = e.message;
        }
        Object.entries = entries;
        console.log('after', { failure });
        export function Get() {
          return { value: '' };
        }
        """);
    assertEquals(List.of("INFO after { failure: 'entries unavailable' }"), lines);
  }

  @Test
  void aHandlersContextShowsAllItsFieldsToConsoleAndJson() throws Exception {
    Path script = ScriptFixture.write(dir, "main.mjs", """
        export function Get(request, context) {
          console.log(context);
          console.log(JSON.stringify(context));
          console.log({ [Symbol.for('nodejs.util.inspect.custom')]: () => 'shown my way' });
          return { value: '' };
        }
        """);
    try (var runtime = ScriptRuntime.load(SharedEngine.ENGINE, script, files, sink)) {
      ScriptFixture.handler(runtime, TestProtos.GET)
          .unary(get("k"), ScriptFixture.context(TestProtos.GET, java.util.Map.of("x-user", List.of("ann"))))
          .toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
    assertEquals(List.of(
        "INFO CallContext { method: '/proto.KV/Get', deadline: null, metadata: { 'x-user': [ 'ann' ] }, "
            + "signal: AbortSignal { aborted: false } }",
        "INFO {\"method\":\"/proto.KV/Get\",\"deadline\":null,\"metadata\":{\"x-user\":[\"ann\"]},"
            + "\"signal\":{\"aborted\":false}}",
        "INFO shown my way"), lines);
  }

  private void run(String source) throws Exception {
    Path script = ScriptFixture.write(dir, "main.mjs", source);
    try (var runtime = ScriptRuntime.load(SharedEngine.ENGINE, script, files, sink)) {
      call(runtime, TestProtos.GET, get("k"));
    }
  }
}
