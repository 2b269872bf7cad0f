package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.get;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Console output goes to the {@link ConsoleSink}, line by line, and never to the process stdout. */
class ConsoleOutputTest {
  @TempDir Path dir;
  @TempDir Path files;

  @Test
  void consoleOutputGoesToTheSinkNotToStdout() throws Exception {
    List<String> out = new CopyOnWriteArrayList<>();
    List<String> err = new CopyOnWriteArrayList<>();
    ConsoleSink sink = new ConsoleSink() {
      @Override
      public void stdout(String line) {
        out.add(line);
      }

      @Override
      public void stderr(String line) {
        err.add(line);
      }
    };
    PrintStream realOut = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true));
    try {
      Path script = ScriptFixture.write(dir, "main.mjs", """
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
      try (var runtime = ScriptRuntime.load(SharedEngine.ENGINE, script, files, sink)) {
        call(runtime, TestProtos.GET, get("k"));
      }
    } finally {
      System.setOut(realOut);
    }
    assertEquals(List.of("loaded", "get k { n: 1 }", "info ünï", "debug",
        "{ s: 'it\\'s', b: Uint8Array(2) [ 1, 2 ], n: 5n, a: [ 1, 'y' ], m: Map(1) { 'k' => null } }"), out);
    assertEquals(List.of("careful", "broken", "across lines"), err);
    assertEquals("", captured.toString());
  }
}
