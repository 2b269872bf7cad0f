package dev.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bridge.cli.CallRuns.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bridgejs call} of JavaScript streams: a server stream printed a line a response as it comes, requests
 * read from standard input as JSON lines while the handler reads them, and a stream's end (a failure after some
 * responses, a bad line, the deadline) said as a host would see it.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)  // a hang guard only
@ExtendWith(CallRuns.class)
class CallStreamsTest {
  private static final String PROTO = """
      syntax = "proto3";
      package streams;
      message CountRequest { int64 count = 1; string tag = 2; }
      message Item { string name = 1; int64 n = 2; }
      message Summary { int64 count = 1; int64 total = 2; }
      service Inventory {
        rpc Count(CountRequest) returns (stream Item);
        rpc Sum(stream Item) returns (Summary);
        rpc Echo(stream Item) returns (stream Item);
      }
      """;
  private static final String SCRIPT = """
      export async function* Count({ count, tag }, context) {
        context.setHeader("x-tag", tag || "none");
        try {
          for (let n = 1n; n <= count; n++) {
            if (tag === "fail" && n === 3n) {
              throw new RpcError("ABORTED", "stopped at 3", { details: [
                { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "THIRD" }] });
            }
            if (tag === "hang" && n === 2n) await new Promise(() => {});
            yield { name: `item ${n}`, n };
          }
        } finally {
          if (context.signal.aborted) console.warn(`stopped: ${context.signal.reason?.code}`);
          context.setTrailer("x-sent", "done");
        }
      }
      export async function Sum(requests) {
        let count = 0n, total = 0n;
        for await (const item of requests) { count++; total += item.n; }
        return { count, total };
      }
      export async function* Echo(requests, context) {
        try {
          for await (const item of requests) yield { name: item.name.toUpperCase(), n: item.n };
        } finally {
          if (context.signal.aborted) console.warn(`stopped: ${context.signal.reason?.code}`);
        }
      }
      """;

  @TempDir Path dir;
  private Path script;

  @BeforeEach
  void plugin() throws Exception {
    Files.writeString(dir.resolve("streams.proto"), PROTO);
    Files.writeString(dir.resolve("streams.plugin.json"), "{\"proto\": \"streams.proto\"}");
    script = Files.writeString(dir.resolve("streams.js"), SCRIPT);
  }

  private Outcome call(String stdin, String... args) {
    String[] all = new String[args.length + 3];
    all[0] = script.toString();
    all[1] = "--files-dir";
    all[2] = dir.toString();
    System.arraycopy(args, 0, all, 3, args.length);
    return CallRuns.call(stdin, all);
  }

  @Test
  void aServerStreamPrintsEachResponseOnItsOwnLine() {
    Outcome count = call("", "Count", "{\"count\": 2, \"tag\": \"t\"}");
    assertEquals(new Outcome(CallCommand.EXIT_OK, "{\"name\":\"item 1\",\"n\":\"1\"}\n{\"name\":\"item 2\",\"n\":\"2\"}\n",
        "header x-tag: t\ntrailer x-sent: done\n"), count);
  }

  @Test
  void aClientStreamReadsJsonLinesFromStandardInputAndPrintsItsOneResponse() {
    Outcome sum = call("{\"name\": \"a\", \"n\": 1}\n\n  \n{\"name\": \"b\", \"n\": \"2\"}\n", "Sum");
    assertEquals(new Outcome(CallCommand.EXIT_OK, "{\n  \"count\": \"2\",\n  \"total\": \"3\"\n}\n", ""), sum);
    Outcome none = call("", "Sum", "-");
    assertEquals("{\n  \"count\": \"0\",\n  \"total\": \"0\"\n}\n", none.stdout());
  }

  @Test
  void aBidiCallAnswersEachLineBeforeTheNextIsWritten() throws Exception {
    var echoing = new Typing("Echo");
    echoing.type("{\"name\": \"hello\", \"n\": 1}\n");
    echoing.awaitStdout("{\"name\":\"HELLO\",\"n\":\"1\"}\n");
    echoing.type("{\"name\": \"again\", \"n\": 2}\n");
    Outcome echo = echoing.end();
    assertEquals(new Outcome(CallCommand.EXIT_OK,
        "{\"name\":\"HELLO\",\"n\":\"1\"}\n{\"name\":\"AGAIN\",\"n\":\"2\"}\n", ""), echo);
  }

  /** A call whose standard input a test types as it goes, reading what it printed meanwhile. */
  private final class Typing {
    private final PipedOutputStream typing = new PipedOutputStream();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final CompletableFuture<Outcome> call;

    Typing(String method) throws Exception {
      var stdin = new PipedInputStream(typing);
      call = CompletableFuture.supplyAsync(() -> CallRuns.call(stdin, out, script.toString(), method));
    }

    void type(String text) throws Exception {
      typing.write(text.getBytes(StandardCharsets.UTF_8));
      typing.flush();
    }

    /** Waits (a hang guard only) until the command has printed {@code expected}, while it still runs. */
    void awaitStdout(String expected) throws InterruptedException {
      while (!out.toString(StandardCharsets.UTF_8).equals(expected)) {
        assertFalse(call.isDone(), () -> "ended early: " + call.join());
        Thread.sleep(10);
      }
    }

    /** Ends standard input; the outcome. */
    Outcome end() throws Exception {
      typing.close();
      return call.get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void aStreamFailingAfterTwoResponsesLeavesThemOnStdoutAndItsStatusOnStderr() {
    Outcome failing = call("", "Count", "{\"count\": 5, \"tag\": \"fail\"}");
    assertEquals(CallCommand.EXIT_CALL_FAILED, failing.exitCode());
    assertEquals("{\"name\":\"item 1\",\"n\":\"1\"}\n{\"name\":\"item 2\",\"n\":\"2\"}\n", failing.stdout());
    assertEquals(List.of("header x-tag: fail", "ABORTED: stopped at 3",
        "detail: {\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"THIRD\",\"domain\":\"\","
            + "\"metadata\":{}}", "trailer x-sent: done"), failing.stderr().lines().toList());
  }

  @Test
  void aLineThatIsNoRequestNamesItsLineAndFieldAndKeepsTheResponsesSoFar() throws Exception {
    var echoing = new Typing("Echo");
    echoing.type("{\"name\": \"a\", \"n\": 1}\n");
    echoing.awaitStdout("{\"name\":\"A\",\"n\":\"1\"}\n");
    echoing.type("\n{\"name\": \"b\", \"n\": \"two\"}\n");
    Outcome bad = echoing.end();
    assertEquals(CallCommand.EXIT_USAGE, bad.exitCode());
    assertEquals("{\"name\":\"A\",\"n\":\"1\"}\n", bad.stdout());
    assertTrue(bad.stderr().contains("streams.Inventory/Echo: stdin line 3 is not a valid streams.Item in proto3 JSON "
        + "(one request a line): request.n at column 20: Not an int64 value: \"two\"\n"), bad.stderr());
  }

  @Test
  void theTimeoutEndsAStreamKeepingWhatItSent() {
    Outcome hung = call("", "Count", "--timeout", "500ms", "{\"count\": 3, \"tag\": \"hang\"}");
    assertEquals(CallCommand.EXIT_CALL_FAILED, hung.exitCode());
    assertEquals("{\"name\":\"item 1\",\"n\":\"1\"}\n", hung.stdout());
    assertTrue(hung.stderr().contains("DEADLINE_EXCEEDED: streams.Inventory/Count: the host's deadline passed"),
        hung.stderr());
  }

  @Test
  void aStreamOfRequestsIsNotTakenAsAnArgument() {
    Outcome refused = call("", "Sum", "{\"n\": 1}");
    assertEquals(CallCommand.EXIT_USAGE, refused.exitCode());
    assertEquals("streams.Inventory/Sum is client-streaming: its requests are read from standard input, one JSON "
        + "object a line, not given as an argument", refused.lastErrorLine());
  }
}
