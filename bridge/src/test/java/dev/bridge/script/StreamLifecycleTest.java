package dev.bridge.script;

import static dev.bridge.script.StreamProtos.field;
import static dev.bridge.script.StreamProtos.ping;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.CallContext;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.Handlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a stream runs: on the instance it started on, and on its version after a reload, past the drain grace. */
class StreamLifecycleTest {
  @TempDir Path dir;
  @TempDir Path files;
  private LiveScript live;
  private ScriptPool pool;

  @AfterEach
  void close() {
    if (live != null) {
      live.close();
    }
    if (pool != null) {
      pool.close();
    }
  }

  /** Echo answering with each ping's seq and a payload naming the instance ({@code label} and a random id). */
  private static String echo(String label) {
    return """
        const me = new TextEncoder().encode('%s ' + Math.random());
        export async function* Echo(requests) {
          for await (const ping of requests) yield { seq: ping.seq, payload: me };
        }
        """.formatted(label);
  }

  private ScriptPool version(String source, int instances) throws Exception {
    Path script = ScriptFixture.write(dir, "main.mjs", source);
    return ScriptPool.load(SharedEngine.ENGINE, script, files, ConsoleSink.discard(), ScriptOptions.defaults(), instances);
  }

  /** One Echo stream: its requests and responses. */
  private record Stream(TestStreamSource requests, TestStreamSink responses) {
    String sendAndReceive(long seq) throws InterruptedException {
      int before = responses.count();
      requests.send(ping(seq));
      responses.awaitCount(before + 1);
      DynamicMessage echo = responses.received().get(before);
      assertEquals(seq, field(echo, "seq"));
      return ((ByteString) field(echo, "payload")).toString(StandardCharsets.UTF_8);
    }
  }

  private static Stream echoStream(Handlers handlers) {
    CallContext context = StreamingHandlersTest.context(StreamProtos.ECHO);
    Stream stream = new Stream(new TestStreamSource(), new TestStreamSink(context));
    handlers.find(StreamProtos.ECHO).orElseThrow().start(stream.requests(), stream.responses(), context);
    return stream;
  }

  @Test
  void aStreamFinishesOnItsVersionPastTheDrainGrace() throws Exception {
    ScriptPool first = version(echo("v1"), 1);
    live = new LiveScript(first, Duration.ofMillis(50));
    Stream old = echoStream(live.handlers());
    String firstInstance = old.sendAndReceive(1);
    live.replace(version(echo("v2"), 1));
    Thread.sleep(300);  // well past the grace
    assertEquals(firstInstance, old.sendAndReceive(2));
    Stream fresh = echoStream(live.handlers());
    assertEquals("v2", fresh.sendAndReceive(1).split(" ")[0]);
    assertEquals(firstInstance, old.sendAndReceive(3));
    old.requests().halfClose();
    assertNull(old.responses().awaitEnd());
    // Its last stream ended, the replaced version closes: a call made to it directly is turned away.
    var failure = assertThrows(ExecutionException.class, () -> {
      for (int i = 0; i < 1000; i++) {
        Stream late = echoStream(first.handlers());
        late.requests().halfClose();
        CallFailure end = late.responses().awaitEnd();
        if (end != null) {
          throw new ExecutionException(end);
        }
        Thread.sleep(10);
      }
    });
    assertEquals("UNAVAILABLE", assertInstanceOf(CallFailure.class, failure.getCause()).code());
    fresh.requests().halfClose();
    assertNull(fresh.responses().awaitEnd());
  }

  @Test
  void aStreamStaysOnTheInstanceItStartedOn() throws Exception {
    pool = version(echo("pool"), 2);
    List<Stream> streams = List.of(echoStream(pool.handlers()), echoStream(pool.handlers()));
    List<Set<String>> seen = List.of(new java.util.HashSet<>(), new java.util.HashSet<>());
    for (long seq = 1; seq <= 20; seq++) {
      for (int s = 0; s < streams.size(); s++) {
        seen.get(s).add(streams.get(s).sendAndReceive(seq));
      }
    }
    for (int s = 0; s < streams.size(); s++) {
      assertEquals(1, seen.get(s).size(), () -> "one stream answered by " + seen);
      streams.get(s).requests().halfClose();
      assertNull(streams.get(s).responses().awaitEnd(), "ended OK");
    }
    // Two streams at once: the pool put them on different instances.
    assertEquals(2, seen.stream().flatMap(Set::stream).collect(Collectors.toSet()).size());
  }

  @Test
  void aClosingRuntimeLetsItsStreamsFinishWithinTheGrace() throws Exception {
    pool = version(echo("closing"), 1);
    Stream open = echoStream(pool.handlers());
    String instance = open.sendAndReceive(1);
    Thread closing = Thread.ofVirtual().start(() -> pool.close(Duration.ofSeconds(30)));
    Thread.sleep(100);
    assertEquals(instance, open.sendAndReceive(2));
    open.requests().halfClose();
    assertNull(open.responses().awaitEnd());
    closing.join(30_000);
    assertFalse(closing.isAlive(), "closed once its stream ended");
  }
}
