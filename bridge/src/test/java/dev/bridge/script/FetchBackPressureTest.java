package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A streamed body is fetched as the script reads it: a reader that stops holds the server back (the JVM does not
 * buffer the rest), and cancelling closes the connection. The server offers {@code /big?mb=N}: N MiB.
 */
class FetchBackPressureTest {
  private static final int MIB = 1 << 20;

  @RegisterExtension final ScriptsUnderTest scripts = new ScriptsUnderTest();

  private LoopbackServer server;
  private final AtomicLong written = new AtomicLong();
  private final CountDownLatch closed = new CountDownLatch(1);

  @BeforeEach
  void startServer() throws IOException {
    server = new LoopbackServer().on("/big", exchange -> {
      long size = Long.parseLong(exchange.getRequestURI().getQuery().substring("mb=".length())) * MIB;
      exchange.sendResponseHeaders(200, size);
      byte[] block = new byte[64 * 1024];
      try (OutputStream out = exchange.getResponseBody()) {
        for (long sent = 0; sent < size; sent += block.length) {
          out.write(block);
          written.addAndGet(block.length);
        }
      } catch (IOException e) {
        closed.countDown();  // the client went away
      }
    });
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private ScriptRuntime load() throws Exception {
    return scripts.load("""
        const base = '%s';
        let reader;
        export async function Get(request) {
          if (request.key === 'whole') {
            const r = await fetch(base + '/big?mb=8');
            return { value: String((await r.arrayBuffer()).byteLength) };
          }
          if (request.key === 'cancel') {
            await reader.cancel();
            return { value: 'cancelled' };
          }
          // A signal of its own, so that the body outlives this call.
          const r = await fetch(base + '/big?mb=200', { signal: new AbortController().signal });
          reader = r.body.getReader();
          let bytes = 0;
          for (let i = 0; i < 3; i++) bytes += (await reader.read()).value.length;
          return { value: String(bytes > 0) };
        }
        """.formatted(server.base()), ScriptOptions.defaults().withPermissions(server.granted()));
  }

  private static String text(ScriptRuntime runtime, String key) throws Exception {
    return new String(value(call(runtime, TestProtos.GET, get(key))), StandardCharsets.UTF_8);
  }

  @Test
  void aReaderThatStopsHoldsTheServerBackAndCancellingClosesTheConnection() throws Exception {
    ScriptRuntime runtime = load();
    assertEquals("true", text(runtime, "start"));
    Thread.sleep(1500);
    long stalled = written.get();
    Thread.sleep(500);
    long later = written.get();
    // What waits is the script's read-ahead, the client's buffers and the sockets': megabytes, not the 200 MiB body.
    assertTrue(later < 32L * MIB, "the server wrote " + later / MIB + " MiB of 200 while the script read 3 chunks");
    assertTrue(later - stalled < MIB, "the server went on writing: " + (later - stalled) + " bytes in 0.5 s");
    assertEquals("cancelled", text(runtime, "cancel"));
    assertTrue(closed.await(10, TimeUnit.SECONDS), "the server saw the connection closed");
  }

  @Test
  void aBodyReadWholeStillArrivesWhole() throws Exception {
    assertEquals(String.valueOf(8 * MIB), text(load(), "whole"));
  }
}
