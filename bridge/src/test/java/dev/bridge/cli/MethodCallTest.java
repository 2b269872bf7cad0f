package dev.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.StringValue;
import dev.bridge.rpc.CallCancellation;
import dev.bridge.rpc.CallContext;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.Handlers;
import dev.bridge.rpc.MethodHandler;
import dev.bridge.rpc.PullingHandlers;
import dev.bridge.rpc.RequestListener;
import dev.bridge.rpc.ResponseMetadata;
import dev.bridge.rpc.ServerCalls;
import dev.bridge.schema.ProtoFileLoader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bridgejs call} of each call shape, without JavaScript: handlers written in Java behind the method the
 * command calls; requests from the argument or standard input as JSON lines, responses printed as they come.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)  // a hang guard only
class MethodCallTest {
  @TempDir Path dir;

  private Descriptors.ServiceDescriptor service;
  private ProtoJson json;
  private final Map<String, MethodHandler> handlers = new java.util.concurrent.ConcurrentHashMap<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private CallContext context;

  @BeforeEach
  void schema() throws Exception {
    Path proto = Files.writeString(dir.resolve("s.proto"), """
        syntax = "proto3";
        package s;
        message Req { string text = 1; int32 n = 2; }
        message Res { string text = 1; }
        service S {
          rpc Get(Req) returns (Res);
          rpc Count(Req) returns (stream Res);
          rpc Sum(stream Req) returns (Res);
          rpc Chat(stream Req) returns (stream Res);
        }
        """);
    var schema = new ProtoFileLoader().load(List.of(proto), List.of());
    service = schema.service("s.S").orElseThrow();
    json = ProtoJson.of(List.of(service.getFile()));
  }

  private DynamicMessage res(String text) {
    var type = service.findMethodByName("Get").getOutputType();
    return DynamicMessage.newBuilder(type).setField(type.findFieldByName("text"), text).build();
  }

  private static String text(DynamicMessage request) {
    return (String) request.getField(request.getDescriptorForType().findFieldByName("text"));
  }

  private int call(String method, String argument, InputStream stdin) throws Exception {
    return call(method, argument, stdin, Optional.empty(), 4 << 20);
  }

  private int call(String method, String argument, InputStream stdin, Optional<Instant> deadline, int maxSize)
      throws Exception {
    var terminal = new CallCommand.Terminal(stdin, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), false);
    Handlers found = new Handlers() {
      @Override
      public Optional<MethodHandler> find(Descriptors.MethodDescriptor m) {
        return Optional.ofNullable(handlers.get(m.getName()));
      }

      @Override
      public String describeMissing(Descriptors.MethodDescriptor m) {
        return "no " + m.getName();
      }
    };
    var m = service.findMethodByName(method);
    context = new CallContext("s.S/" + method, Map.of(), deadline, new CallCancellation())
        .withResponseMetadata(new ResponseMetadata());
    return new MethodCall(terminal, json, m, found, context, maxSize).run(argument);
  }

  private static InputStream stdin(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** Echoes each request's text, upper-cased, as it comes; fails at "fail", after what it sent. */
  private MethodHandler chat() {
    return PullingHandlers.echoing(request -> {
      if (text(request).equals("fail")) {
        throw new CallFailure("ABORTED", "s.S/Chat: told to fail");
      }
      return res(text(request).toUpperCase());
    }, (sink, context) -> {});
  }

  @Test
  void aServerStreamPrintsEachResponseOnItsLineAsItComes() throws Exception {
    var second = new CompletableFuture<Void>();
    handlers.put("Count", ServerCalls.serverStreaming((request, sink, context) -> {
      context.responseMetadata().add(false, "x-h", "1");
      sink.next(res("one"));
      second.thenRun(() -> {
        context.responseMetadata().add(true, "x-t", "2");
        sink.next(res(""));
        sink.complete();
      });
    }));
    var call = CompletableFuture.supplyAsync(() -> {
      try {
        return call("Count", "{\"n\": 2}", stdin(""));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    while (!stdout().equals("{\"text\":\"one\"}\n")) {
      assertFalse(call.isDone(), stdout() + stderr());
      Thread.sleep(5);
    }
    assertEquals("header x-h: 1\n", stderr(), "the headers before the first response");
    second.complete(null);
    assertEquals(CallCommand.EXIT_OK, call.get(10, TimeUnit.SECONDS));
    assertEquals("{\"text\":\"one\"}\n{\"text\":\"\"}\n", stdout(), "every field, defaults too, as for unary");
    assertEquals("header x-h: 1\ntrailer x-t: 2\n", stderr());
  }

  @Test
  void responsesKeepEqualsSignsAndAngleBracketsAsTheyAre() throws Exception {
    handlers.put("Chat", chat());
    int exit = call("Chat", null, stdin("{\"text\": \"a=b <c> & 'd'\"}\n"));
    assertEquals(CallCommand.EXIT_OK, exit, stderr());
    assertEquals("{\"text\":\"A=B <C> & 'D'\"}\n", stdout(), "not JsonFormat's \\u003d and friends");
  }

  @Test
  void aStreamFailingAfterTwoResponsesLeavesThemOnStdoutAndItsStatusOnStderr() throws Exception {
    handlers.put("Chat", chat());
    int exit = call("Chat", null, stdin("{\"text\": \"a\"}\n\n   \n{\"text\": \"b\"}\n{\"text\": \"fail\"}\n{\"text\": \"c\"}\n"));
    assertEquals(CallCommand.EXIT_CALL_FAILED, exit);
    assertEquals("{\"text\":\"A\"}\n{\"text\":\"B\"}\n", stdout());
    assertEquals("ABORTED: s.S/Chat: told to fail\n", stderr());
  }

  @Test
  void aBidiCallReadsEachLineOnlyWhenTheHandlerPullsIt() throws Exception {
    handlers.put("Chat", chat());
    var typing = new PipedOutputStream();
    var stdin = new PipedInputStream(typing);
    var call = CompletableFuture.supplyAsync(() -> {
      try {
        return call("Chat", "-", stdin);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    typing.write("{\"text\": \"hello\"}\n".getBytes(StandardCharsets.UTF_8));
    typing.flush();
    while (!stdout().equals("{\"text\":\"HELLO\"}\n")) {
      assertFalse(call.isDone(), stdout() + stderr());
      Thread.sleep(5);
    }
    typing.write("{\"text\": \"again\"}\n".getBytes(StandardCharsets.UTF_8));
    typing.close();
    assertEquals(CallCommand.EXIT_OK, call.get(10, TimeUnit.SECONDS), stderr());
    assertEquals("{\"text\":\"HELLO\"}\n{\"text\":\"AGAIN\"}\n", stdout());
  }

  @Test
  void aClientStreamAnswersOnceWhenStandardInputEnds() throws Exception {
    handlers.put("Sum", ServerCalls.clientStreaming((requests, context) -> {
      var result = new CompletableFuture<DynamicMessage>();
      requests.start(new RequestListener() {
        int total;

        @Override
        public void onNext(DynamicMessage request) {
          total += (Integer) request.getField(request.getDescriptorForType().findFieldByName("n"));
          requests.request(1);
        }

        @Override
        public void onCompleted() {
          result.complete(res("total " + total));
        }
      });
      requests.request(1);
      return result;
    }));
    assertEquals(CallCommand.EXIT_OK, call("Sum", null, stdin("{\"n\": 1}\n{\"n\": 2}")), stderr());
    assertEquals("{\n  \"text\": \"total 3\"\n}\n", stdout());
  }

  @Test
  void aLineThatIsNoRequestNamesItsLineAndFieldAndLeavesTheResponsesSoFar() throws Exception {
    handlers.put("Chat", chat());
    int exit = call("Chat", null, stdin("{\"text\": \"a\"}\n\n{\"text\": \"b\", \"n\": \"many\"}\n"));
    assertEquals(CallCommand.EXIT_USAGE, exit);
    assertEquals("{\"text\":\"A\"}\n", stdout());
    assertEquals("s.S/Chat: stdin line 3 is not a valid s.Req in proto3 JSON (one request a line): request.n at "
        + "column 20: Not an int32 value: \"many\"\n", stderr());
    var told = new CompletableFuture<CallFailure>();
    context.cancellation().whenCancelled(told::complete);
    assertEquals("CANCELLED", told.get(10, TimeUnit.SECONDS).code(), "the handler is told");

    out.reset();
    err.reset();
    assertEquals(CallCommand.EXIT_USAGE, call("Chat", null, stdin("{\"text\": \"a\",}\n")));
    assertTrue(stderr().startsWith("s.S/Chat: stdin line 1 is not a valid s.Req in proto3 JSON (one request a "
        + "line): column 14: "), stderr());
  }

  @Test
  void aStreamOfRequestsIsNotGivenAsAnArgument() {
    handlers.put("Sum", chat());
    var e = assertThrows(CallUsageException.class, () -> call("Sum", "{\"n\": 1}", stdin("")));
    assertEquals("s.S/Sum is client-streaming: its requests are read from standard input, one JSON object a line, "
        + "not given as an argument", e.getMessage());
  }

  @Test
  void aRequestLineOverTheMaximumSizeIsResourceExhaustedAsAHostsWouldBe() throws Exception {
    handlers.put("Chat", chat());
    int exit = call("Chat", null, stdin("{\"text\": \"a\"}\n{\"text\": \"" + "x".repeat(100) + "\"}\n"),
        Optional.empty(), 50);
    assertEquals(CallCommand.EXIT_CALL_FAILED, exit);
    assertEquals("{\"text\":\"A\"}\n", stdout());
    assertEquals("RESOURCE_EXHAUSTED: s.S/Chat: stdin line 2 is 102 bytes, more than the maximum message size of "
        + "50 bytes\n", stderr());
  }

  @Test
  void theDeadlineEndsAStreamKeepingWhatItSent() throws Exception {
    handlers.put("Count", ServerCalls.serverStreaming((request, sink, context) -> sink.next(res("only"))));
    int exit = call("Count", "{}", stdin(""), Optional.of(Instant.now().plusMillis(200)), 4 << 20);
    assertEquals(CallCommand.EXIT_CALL_FAILED, exit);
    assertEquals("{\"text\":\"only\"}\n", stdout());
    assertEquals("DEADLINE_EXCEEDED: s.S/Count: the host's deadline passed\n", stderr());
  }

  @Test
  void aFailureWithDetailsPrintsThemAfterTheStatus() throws Exception {
    handlers.put("Count", ServerCalls.serverStreaming((request, sink, context) -> {
      sink.next(res("1"));
      sink.fail(new CallFailure("NOT_FOUND", "s.S/Count: gone", null, null, List.of(Any.pack(StringValue.of("why")))));
    }));
    assertEquals(CallCommand.EXIT_CALL_FAILED, call("Count", "{}", stdin("")));
    assertEquals("{\"text\":\"1\"}\n", stdout());
    assertEquals("NOT_FOUND: s.S/Count: gone\ndetail: {\"@type\":\"type.googleapis.com/google.protobuf.StringValue\","
        + "\"value\":\"why\"}\n", stderr());
  }
}
