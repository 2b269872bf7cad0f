package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.context;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.Handlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replacing the script that serves calls while they run: new calls see the new version, none fail. */
class LiveScriptTest {
  @TempDir Path dir;
  @TempDir Path files;
  private LiveScript live;

  @AfterEach
  void close() {
    if (live != null) {
      live.close();
    }
  }

  private ScriptPool version(String source) throws Exception {
    Path script = ScriptFixture.write(dir, "main.mjs", source);
    return ScriptPool.load(SharedEngine.ENGINE, script, files, ConsoleSink.discard(), ScriptOptions.defaults(), 1);
  }

  private static String answer(String text) {
    return "export function Get() { return { value: '" + text + "' }; }";
  }

  private CompletableFuture<DynamicMessage> callGet(Handlers handlers) {
    return handlers.find(TestProtos.GET).orElseThrow().unary(get("k"), context(TestProtos.GET, Map.of()))
        .toCompletableFuture();
  }

  private static String text(CompletableFuture<DynamicMessage> call) throws Exception {
    return new String(value(call.get(60, TimeUnit.SECONDS)), StandardCharsets.UTF_8);
  }

  @Test
  void newCallsGoToTheNewVersion() throws Exception {
    live = new LiveScript(version(answer("v1")), Duration.ofSeconds(5));
    Handlers handlers = live.handlers();
    assertEquals("v1", text(callGet(handlers)));
    live.replace(version(answer("v2")));
    assertEquals("v2", text(callGet(handlers)));
  }

  @Test
  void aCallInProgressFinishesOnItsVersionWhichIsClosedAfterwards() throws Exception {
    ScriptPool first = version("""
        export async function Get() {
          fs.writeFileSync('started', '');
          while (!fs.existsSync('release')) { await new Promise((resolve) => resolve()); }
          return { value: 'v1' };
        }
        """);
    live = new LiveScript(first, Duration.ofSeconds(30));
    Handlers handlers = live.handlers();
    var inProgress = callGet(handlers);
    while (!Files.exists(files.resolve("started"))) {
      Thread.sleep(5);
    }
    live.replace(version(answer("v2")));
    assertEquals("v2", text(callGet(handlers)));
    Files.writeString(files.resolve("release"), "");
    assertEquals("v1", text(inProgress));
    // The retired version is closed once drained: calling it directly is turned away.
    var failure = assertThrows(ExecutionException.class, () -> {
      for (int i = 0; i < 1000; i++) {
        callGet(first.handlers()).get(60, TimeUnit.SECONDS);
        Thread.sleep(10);
      }
    });
    assertEquals("UNAVAILABLE", assertInstanceOf(CallFailure.class, failure.getCause()).code());
  }

  @Test
  void aMethodWithoutAFunctionIsServedOnceANewVersionHasOne() throws Exception {
    live = new LiveScript(version("export function Put() { return {}; }"), Duration.ofSeconds(5));
    Handlers handlers = live.handlers();
    var failure = assertThrows(ExecutionException.class, () -> callGet(handlers).get(60, TimeUnit.SECONDS));
    var unimplemented = assertInstanceOf(CallFailure.class, failure.getCause());
    assertEquals("UNIMPLEMENTED", unimplemented.code());
    assertEquals("proto.KV/Get has no handler: the script main.mjs exports no function Get for proto.KV/Get "
        + "(add: export function Get(request, context) { ... })", unimplemented.getMessage());
    live.replace(version(answer("now")));
    assertEquals("now", text(callGet(handlers)));
  }

  @Test
  void callsDuringManyReplacementsAllSucceed() throws Exception {
    live = new LiveScript(version(answer("v0")), Duration.ofSeconds(5));
    Handlers handlers = live.handlers();
    AtomicBoolean replacing = new AtomicBoolean(true);
    List<Throwable> failures = new ArrayList<>();
    List<Thread> callers = new ArrayList<>();
    int[] answered = new int[4];
    for (int c = 0; c < 4; c++) {
      int caller = c;
      callers.add(Thread.ofPlatform().start(() -> {
        while (replacing.get()) {
          try {
            text(callGet(handlers));
            answered[caller]++;
          } catch (Exception e) {
            synchronized (failures) {
              failures.add(e);
            }
          }
        }
      }));
    }
    for (int v = 1; v <= 20; v++) {
      live.replace(version(answer("v" + v)));
    }
    replacing.set(false);
    for (Thread caller : callers) {
      caller.join();
    }
    assertEquals(List.of(), failures);
    assertEquals("v20", text(callGet(handlers)));
  }

  @Test
  void theVersionKnowsItsModules() throws Exception {
    ScriptFixture.write(dir, "util.mjs", "export const word = 'imported';");
    ScriptPool pool = version("import { word } from './util.mjs';\n" + answer("x"));
    live = new LiveScript(pool, Duration.ofSeconds(5));
    assertEquals(Set.of(dir.resolve("main.mjs").toRealPath(), dir.resolve("util.mjs").toRealPath()),
        pool.moduleFiles());
  }
}
