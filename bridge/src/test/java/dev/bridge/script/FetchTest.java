package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.context;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.handler;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DynamicMessage;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code fetch} against a server on loopback, granted as {@code 127.0.0.1:PORT} only. */
class FetchTest {
  @RegisterExtension final ScriptsUnderTest scripts = new ScriptsUnderTest();

  private HttpServer server;
  private int port;
  private final AtomicInteger slowStarted = new AtomicInteger();
  private final CountDownLatch slowClosed = new CountDownLatch(1);

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    port = server.getAddress().getPort();
    server.createContext("/json", exchange -> {
      exchange.getResponseHeaders().add("content-type", "application/json");
      exchange.getResponseHeaders().add("x-test", "yes");
      send(exchange, 200, "{\"a\": 1, \"b\": [\"x\"]}");
    });
    server.createContext("/status/", exchange -> {
      int status = Integer.parseInt(exchange.getRequestURI().getPath().substring("/status/".length()));
      send(exchange, status, "status " + status);
    });
    server.createContext("/echo", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      send(exchange, 200, exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("x-in") + " "
          + exchange.getRequestHeaders().getFirst("content-type") + " " + body);
    });
    server.createContext("/stream", exchange -> {
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        for (int i = 0; i < 3; i++) {
          out.write(("part" + i + ";").getBytes(StandardCharsets.UTF_8));
          out.flush();
          sleep(60);
        }
      }
    });
    server.createContext("/upgrade-headers", exchange -> {
      var headers = exchange.getRequestHeaders();
      send(exchange, 200, headers.getFirst("upgrade") + " " + headers.getFirst("connection") + " "
          + headers.getFirst("http2-settings"));
    });
    server.createContext("/redirect-to-upgrade-headers", exchange -> {
      exchange.getResponseHeaders().add("location", "/upgrade-headers");
      send(exchange, 302, "");
    });
    server.createContext("/redirect-here", exchange -> {
      exchange.getResponseHeaders().add("location", "/json");
      send(exchange, 302, "");
    });
    server.createContext("/redirect-away", exchange -> {
      exchange.getResponseHeaders().add("location", "http://localhost:" + port + "/json");
      send(exchange, 302, "");
    });
    server.createContext("/slow", exchange -> {
      slowStarted.incrementAndGet();
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        for (int i = 0; i < 50; i++) {
          sleep(100);
          out.write('.');
          out.flush();
        }
      } catch (IOException e) {
        slowClosed.countDown();  // the client went away: the abort reached the connection
      }
    });
    server.createContext("/delay", exchange -> {
      sleep(300);
      send(exchange, 200, "late");
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Permissions granted() {
    return new Permissions(List.of("127.0.0.1:" + port), List.of(), List.of(), List.of()).grantedIn("kv.plugin.json");
  }

  private ScriptRuntime load(String body, Permissions permissions) throws Exception {
    return scripts.load("""
        const base = 'http://127.0.0.1:%d';
        export async function Get(request) {
          try {
            return { value: String(await (async () => { %s })()) };
          } catch (e) {
            return { value: 'error ' + e.name + ': ' + e.message };
          }
        }
        """.formatted(port, body), ScriptOptions.defaults().withPermissions(permissions));
  }

  private String answer(String body) throws Exception {
    return answer(body, granted());
  }

  private String answer(String body, Permissions permissions) throws Exception {
    ScriptRuntime runtime = load(body, permissions);
    try {
      return text(call(runtime, TestProtos.GET, get("k")));
    } finally {
      runtime.close();
    }
  }

  private static String text(DynamicMessage response) {
    return new String(value(response), StandardCharsets.UTF_8);
  }

  @Test
  void jsonHeadersAndStatus() throws Exception {
    assertEquals("200 true yes application/json 1,x", answer("""
        const r = await fetch(base + '/json');
        const data = await r.json();
        return [r.status, r.ok, r.headers.get('X-Test'), r.headers.get('content-type'), data.a + ',' + data.b[0]].join(' ');
        """));
    assertEquals("404 false status 404", answer("""
        const r = await fetch(new Request(base + '/status/404'));
        return r.status + ' ' + r.ok + ' ' + await r.text();
        """));
  }

  @Test
  void requestHeadersAndBodyReachTheServer() throws Exception {
    // The PUT's echo, "PUT null null hi", read as an ArrayBuffer: 16 bytes.
    assertEquals("POST hi application/json {\"q\":1} 16", answer("""
        const r = await fetch(base + '/echo', { method: 'post', headers: { 'X-In': 'hi', 'content-type': 'application/json' },
            body: JSON.stringify({ q: 1 }) });
        const text = await r.text();
        const again = await fetch(base + '/echo', { method: 'PUT', body: new Uint8Array([104, 105]) });
        return text + ' ' + (await again.arrayBuffer()).byteLength;
        """));
  }

  @Test
  void aBodyStreamsInChunksAsTheyArrive() throws Exception {
    assertEquals("part0;part1;part2; chunks>=2 true", answer("""
        const r = await fetch(base + '/stream');
        let text = '', chunks = 0;
        for await (const chunk of r.body) {
          chunks++;
          text += String.fromCharCode(...chunk);
        }
        const reader = (await fetch(base + '/stream')).body.getReader();
        let read = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          read += String.fromCharCode(...value);
        }
        return text + ' chunks>=2 ' + (chunks >= 2 && read === text);
        """));
  }

  @Test
  void plainHttpIsAskedAsHttp11WithoutAnUpgradeToH2c() throws Exception {
    // Node's fetch asks plain HTTP as HTTP/1.1; an h2c upgrade offer trips up servers and proxies that refuse it.
    assertEquals("null null null|null null null", answer("""
        const direct = await (await fetch(base + '/upgrade-headers')).text();
        const redirected = await (await fetch(base + '/redirect-to-upgrade-headers')).text();
        return direct + '|' + redirected;
        """));
  }

  @Test
  void redirectsAreFollowedWithEachHopChecked() throws Exception {
    assertEquals("200 true /json", answer("""
        const r = await fetch(base + '/redirect-here');
        return r.status + ' ' + r.redirected + ' ' + r.url.slice(base.length);
        """));
    assertEquals("error TypeError: fetch http://127.0.0.1:" + port + "/redirect-away: redirected to http://localhost:"
        + port + "/json: denied: add \"localhost\" to permissions.net in kv.plugin.json",
        answer("return await fetch(base + '/redirect-away');"));
    assertEquals("302 /json", answer("""
        const r = await fetch(base + '/redirect-away', { redirect: 'manual' });
        return r.status + ' ' + r.headers.get('location').replace(/^.*:[0-9]+/, '');
        """));
  }

  @Test
  void aDeniedFetchRejectsWithoutConnecting() throws Exception {
    assertEquals("error TypeError: fetch https://api.example.com/x: denied: add \"api.example.com\" to permissions.net "
        + "in kv.plugin.json", answer("return await fetch('https://api.example.com/x');"));
    assertEquals("error TypeError: fetch http://127.0.0.1:" + port + "/json: denied: run with --allow-net=127.0.0.1",
        answer("return await fetch(base + '/json');", Permissions.none()));
    assertEquals("error TypeError: fetch file:///etc/passwd: only http: and https: URLs can be fetched",
        answer("return await fetch('file:///etc/passwd');"));
    assertEquals(0, slowStarted.get());
  }

  @Test
  void anAbortRejectsAndClosesTheConnection() throws Exception {
    assertEquals("error AbortError: stop", answer("""
        const controller = new AbortController();
        const pending = fetch(base + '/slow', { signal: controller.signal });
        setTimeout(() => { const e = new Error('stop'); e.name = 'AbortError'; controller.abort(e); }, 150);
        const r = await pending;
        return await r.text();
        """));
    assertTrue(slowClosed.await(10, TimeUnit.SECONDS), "the server saw the connection closed");
    assertEquals("error TimeoutError: The operation timed out after 100 ms", answer("""
        return await fetch(base + '/delay', { signal: AbortSignal.timeout(100) });
        """));
  }

  @Test
  void manyConcurrentFetchesWhileOtherCallsAreServed() throws Exception {
    ScriptRuntime runtime = scripts.load("""
        const base = 'http://127.0.0.1:%d';
        export async function Get(request) {
          if (request.key === 'quick') return { value: 'quick' };
          const texts = await Promise.all(Array.from({ length: 20 }, () => fetch(base + '/delay').then((r) => r.text())));
          return { value: texts.filter((t) => t === 'late').length + ' late' };
        }
        """.formatted(port), ScriptOptions.defaults().withPermissions(granted()).withCallTimeout(
            java.time.Duration.ofSeconds(20)));
    try {
      long start = System.nanoTime();
      CompletableFuture<DynamicMessage> slow = handler(runtime, TestProtos.GET)
          .unary(get("slow"), context(TestProtos.GET, Map.of())).toCompletableFuture();
      List<String> quick = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        quick.add(text(call(runtime, TestProtos.GET, get("quick"))));
      }
      assertFalse(slow.isDone(), "the quick calls ran while the fetches were in flight");
      assertEquals(List.of("quick", "quick", "quick", "quick", "quick"), quick);
      assertEquals("20 late", text(slow.get(20, TimeUnit.SECONDS)));
      // 20 sequential fetches would take 6 s: they ran side by side.
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    } finally {
      runtime.close();
    }
  }

  @Test
  void theHostCancellingACallAbortsTheFetchGivenItsSignal() throws Exception {
    ScriptRuntime runtime = scripts.load("""
        export async function Get(request, context) {
          const r = await fetch('http://127.0.0.1:%d/slow', { signal: context.signal });
          return { value: await r.text() };
        }
        """.formatted(port), ScriptOptions.defaults().withPermissions(granted()));
    try {
      var cancellation = new dev.bridge.rpc.CallCancellation();
      CompletableFuture<DynamicMessage> call = handler(runtime, TestProtos.GET).unary(get("k"),
          new dev.bridge.rpc.CallContext("proto.KV/Get", Map.of(), java.util.Optional.empty(), cancellation))
          .toCompletableFuture();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (slowStarted.get() == 0 && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      assertEquals(1, slowStarted.get(), "the fetch reached the server");
      cancellation.cancel(new dev.bridge.rpc.CallFailure("CANCELLED", "proto.KV/Get: the host cancelled the call"));
      var failure = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
          () -> call.get(10, TimeUnit.SECONDS));
      assertEquals("CANCELLED", ((dev.bridge.rpc.CallFailure) failure.getCause()).code());
      assertTrue(slowClosed.await(10, TimeUnit.SECONDS), "the server saw the connection closed");
    } finally {
      runtime.close();
    }
  }

  @Test
  void headersRequestAndResponseAreUsableOnTheirOwn() throws Exception {
    assertEquals("a, b|c|text/plain;charset=UTF-8 hello|{\"x\":1}|application/json", answer("""
        const h = new Headers([['X-A', 'a']]);
        h.append('x-a', 'b');
        h.set('Y', 'c');
        const r = new Response('hello');
        const j = Response.json({ x: 1 });
        return [h.get('x-a'), h.get('y'), r.headers.get('content-type') + ' ' + await r.text(), await j.text(),
            j.headers.get('content-type')].join('|');
        """));
  }
}
