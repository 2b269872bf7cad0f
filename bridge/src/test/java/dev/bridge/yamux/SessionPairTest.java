package dev.bridge.yamux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** This package's client and server together: many streams at once, each far beyond one window. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionPairTest {
  @Test
  void manyConcurrentEchoStreams() throws Exception {
    try (SocketPair sockets = SocketPair.open();
        YamuxSession server = YamuxSession.server(sockets.accepted(), YamuxConfig.defaults());
        YamuxSession client = YamuxSession.client(sockets.dialled(), YamuxConfig.defaults())) {
      // Not closed by try-with-resources: close() would wait for the accept loop, which ends with the session.
      ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
      threads.submit(() -> {
        while (true) {
          YamuxStream stream = server.accept();
          threads.submit(() -> {
            stream.input().transferTo(stream.output());
            stream.close();
            return null;
          });
        }
      });
      List<CompletableFuture<Void>> calls = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        byte[] payload = new byte[700_000 + i];
        new Random(i).nextBytes(payload);
        YamuxStream stream = client.open();
        calls.add(CompletableFuture.runAsync(() -> {
          try {
            CompletableFuture<byte[]> echoed = CompletableFuture.supplyAsync(() -> {
              try {
                return stream.input().readAllBytes();
              } catch (IOException e) {
                throw new RuntimeException(e);
              }
            }, threads);
            stream.output().write(payload);
            stream.close();
            assertArrayEquals(payload, echoed.join());
          } catch (IOException e) {
            throw new RuntimeException(e);
          }
        }, threads));
      }
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(50, TimeUnit.SECONDS);
      client.ping(Duration.ofSeconds(30));
      assertEquals(0, client.streamCount());
      threads.shutdownNow();
    }
  }
}
