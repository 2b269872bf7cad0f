package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.failure;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A fetch given no signal ends with the call that started it: from the handler, from a continuation run by that
 * call's own fetches, from a timer it set; not one with a signal of its own, nor one a module-level timer started.
 */
class FetchEndsWithItsCallTest {
  @RegisterExtension final ScriptsUnderTest scripts = new ScriptsUnderTest();

  private LoopbackServer server;
  private final CountDownLatch slowClosed = new CountDownLatch(1);
  private final CountDownLatch lateHeadAsked = new CountDownLatch(1);

  @BeforeEach
  void startServer() throws IOException {
    server = new LoopbackServer()
        .on("/json", exchange -> LoopbackServer.send(exchange, 200, "{\"a\": 1}"))
        .on("/delay", exchange -> {
          LoopbackServer.sleep(2000);
          LoopbackServer.send(exchange, 200, "late");
        })
        .on("/stream", exchange -> {
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < 3; i++) {
              LoopbackServer.sleep(100);
              out.write(("part" + i + ";").getBytes(StandardCharsets.UTF_8));
              out.flush();
            }
          }
        })
        .on("/late-head", exchange -> {
          lateHeadAsked.countDown();
          LoopbackServer.sleep(1000);
          dripUntilClosed(exchange);
        })
        .on("/asked", exchange -> LoopbackServer.send(exchange, 200, lateHeadAsked.getCount() == 0 ? "yes" : "no"))
        .on("/slow", this::dripUntilClosed);
  }

  /**
   * Answers with a dot every 100 ms for 10 s; counts {@link #slowClosed} down if the client goes away meanwhile,
   * before the head is sent too.
   */
  private void dripUntilClosed(HttpExchange exchange) {
    try (OutputStream out = exchange.getResponseBody()) {
      exchange.sendResponseHeaders(200, 0);
      for (int i = 0; i < 100; i++) {
        out.write('.');
        out.flush();
        LoopbackServer.sleep(100);
      }
    } catch (IOException e) {
      slowClosed.countDown();  // the client went away: the abort reached the connection
    }
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  /** A script whose Get runs {@code body} for key "go" and answers what a fetch last settled with for key "last". */
  private ScriptRuntime load(String moduleCode, String body, Duration callTimeout) throws Exception {
    return load(moduleCode, body, ScriptOptions.defaults().withCallTimeout(callTimeout));
  }

  private ScriptRuntime load(String moduleCode, String body, ScriptOptions options) throws Exception {
    return scripts.load("""
        const base = '%s';
        let last = 'none';
        const settle = (p) => p.then((r) => r.text()).then((t) => { last = 'text ' + t; },
            (e) => { last = e.name + ': ' + e.message; });
        %s
        export async function Get(request) {
          if (request.key === 'last') return { value: last };
          %s
          return { value: 'done' };
        }
        """.formatted(server.base(), moduleCode, body), options.withPermissions(server.granted()));
  }

  private static String text(ScriptRuntime runtime, String key) throws Exception {
    return new String(value(call(runtime, TestProtos.GET, get(key))), StandardCharsets.UTF_8);
  }

  /** What a fetch settled with, once one did. */
  private static String settled(ScriptRuntime runtime) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String last;
    while ((last = text(runtime, "last")).equals("none") && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    return last;
  }

  @Test
  void aCallThatReturnsAbortsTheBodyItLeftStreamingAndClosesTheConnection() throws Exception {
    ScriptRuntime runtime = load("", """
        await (await fetch(base + '/json')).json();
        const response = await fetch(base + '/slow');  // started in a continuation of the call's first fetch
        settle(Promise.resolve(response));
        """, Duration.ofSeconds(10));
    assertEquals("done", text(runtime, "go"));
    assertTrue(slowClosed.await(10, TimeUnit.SECONDS), "the server saw the connection closed");
    assertEquals("AbortError: fetch " + server.base() + "/slow: aborted: the call proto.KV/Get that started it ended",
        settled(runtime));
  }

  @Test
  void aCallThatEndsBeforeTheResponseHeadArrivesClosesTheConnection() throws Exception {
    ScriptRuntime runtime = load("", """
        settle(fetch(base + '/late-head'));
        while ((await (await fetch(base + '/asked')).text()) !== 'yes') {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        """, Duration.ofSeconds(10));
    assertEquals("done", text(runtime, "go"));
    assertEquals("AbortError: fetch " + server.base() + "/late-head: aborted: the call proto.KV/Get that started it"
        + " ended", settled(runtime));
    assertTrue(slowClosed.await(10, TimeUnit.SECONDS), "the server saw the connection closed");
  }

  @Test
  void aCallPastItsTimeAbortsTheFetchItAwaits() throws Exception {
    ScriptRuntime runtime = load("", """
        if (request.key === 'go') await settle(fetch(base + '/delay'));
        """, Duration.ofMillis(300));
    assertEquals("DEADLINE_EXCEEDED", failure(runtime, TestProtos.GET, get("go")).code());
    assertEquals("AbortError: fetch " + server.base() + "/delay: aborted: the call proto.KV/Get that started it ended"
        + " with DEADLINE_EXCEEDED (proto.KV/Get: handler did not finish within 300 ms (its promise had not settled))",
        settled(runtime));
  }

  @Test
  void aTimerTheCallSetStartsAFetchOfTheCall() throws Exception {
    ScriptRuntime runtime = load("", """
        setTimeout(() => settle(fetch(base + '/slow')), 0);
        await new Promise((resolve) => setTimeout(resolve, 300));
        """, Duration.ofSeconds(10));
    assertEquals("done", text(runtime, "go"));
    assertTrue(slowClosed.await(10, TimeUnit.SECONDS), "the server saw the connection closed");
    assertTrue(settled(runtime).startsWith("AbortError: fetch " + server.base() + "/slow: aborted: the call"));
  }

  @Test
  void aContinuationAfterTheBrokerAnsweredIsStillTheCalls() throws Exception {
    try (InProcessBroker broker = new InProcessBroker()) {
      ScriptRuntime runtime = load("", """
          const served = await broker.serve('proto.KV', { Get() { return {}; } });
          await broker.stop(served);
          const response = await fetch(base + '/slow');  // after two answers of the broker: still this call's
          settle(Promise.resolve(response));
          """, ScriptOptions.defaults().withSchema(List.of(TestProtos.GET.getFile())).withBroker(broker));
      assertEquals("done", text(runtime, "go"));
      assertEquals("AbortError: fetch " + server.base() + "/slow: aborted: the call proto.KV/Get that started it"
          + " ended", settled(runtime));
      assertTrue(slowClosed.await(10, TimeUnit.SECONDS), "the server saw the connection closed");
    }
  }

  @Test
  void aFetchWithItsOwnSignalOutlivesTheCall() throws Exception {
    ScriptRuntime runtime = load("", """
        settle(fetch(base + '/stream', { signal: new AbortController().signal }));
        """, Duration.ofSeconds(10));
    assertEquals("done", text(runtime, "go"));
    assertEquals("text part0;part1;part2;", settled(runtime));
  }

  @Test
  void aFetchAModuleLevelTimerStartedBelongsToNoCall() throws Exception {
    ScriptRuntime runtime = load("setTimeout(() => settle(fetch(base + '/stream')), 0);", "", Duration.ofSeconds(10));
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String last;
    do {
      assertEquals("done", text(runtime, "go"));  // calls begin and end while the fetch is in flight
      last = text(runtime, "last");
    } while (last.equals("none") && System.nanoTime() < until);
    assertEquals("text part0;part1;part2;", last);
  }
}
