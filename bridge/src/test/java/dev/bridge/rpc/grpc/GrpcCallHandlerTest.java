package dev.bridge.rpc.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.StringValue;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.Handlers;
import dev.bridge.rpc.MethodHandler;
import dev.bridge.rpc.PullingHandlers;
import dev.bridge.rpc.RequestListener;
import dev.bridge.rpc.ResponseMetadata;
import dev.bridge.rpc.ResponseSink;
import dev.bridge.rpc.ServerCalls;
import dev.bridge.schema.ProtoFileLoader;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four call shapes served over gRPC (in-process) by transport-free handlers: requests pulled, responses
 * held back while the host does not read, cancel and deadline reaching the handler, headers sent with the first
 * response, trailers and error details with the status after the responses.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)  // a hang guard only
class GrpcCallHandlerTest {
  @TempDir Path dir;

  private final Map<String, MethodHandler> handlers = new ConcurrentHashMap<>();
  private final AtomicInteger invocations = new AtomicInteger();
  private Descriptors.ServiceDescriptor service;
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void serve() throws Exception {
    Path proto = Files.writeString(dir.resolve("s.proto"), """
        syntax = "proto3";
        package s;
        message Msg { string text = 1; }
        service S {
          rpc Unary(Msg) returns (Msg);
          rpc Server(Msg) returns (stream Msg);
          rpc Client(stream Msg) returns (Msg);
          rpc Bidi(stream Msg) returns (stream Msg);
        }
        """);
    service = new ProtoFileLoader().load(List.of(proto), List.of()).service("s.S").orElseThrow();
    start(false);
  }

  /** @param direct whether the server runs handlers on the caller's thread (the client's calls return when served) */
  private void start(boolean direct) throws Exception {
    stop();
    Handlers found = new Handlers() {
      @Override
      public Optional<MethodHandler> find(Descriptors.MethodDescriptor method) {
        // Looked up per call, so that each test sets the behaviour it needs.
        return Optional.of((requests, responses, context) -> {
          invocations.incrementAndGet();
          handlers.get(method.getName()).start(requests, responses, context);
        });
      }

      @Override
      public String describeMissing(Descriptors.MethodDescriptor method) {
        return "none";
      }
    };
    String name = InProcessServerBuilder.generateName();
    var builder = InProcessServerBuilder.forName(name).addService(DynamicService.bind(service, found));
    var channelBuilder = InProcessChannelBuilder.forName(name);
    if (direct) {
      builder.directExecutor();
      channelBuilder.directExecutor();
    }
    server = builder.build().start();
    channel = channelBuilder.build();
  }

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.shutdownNow();
      server.shutdownNow();
    }
  }

  private DynamicMessage msg(String text) {
    var type = service.findMethodByName("Unary").getInputType();
    return DynamicMessage.newBuilder(type).setField(type.findFieldByName("text"), text).build();
  }

  private static String text(DynamicMessage message) {
    return (String) message.getField(message.getDescriptorForType().findFieldByName("text"));
  }

  /** What a host sees of one call. */
  private static final class Host extends ClientCall.Listener<DynamicMessage> {
    final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Metadata> headers = new CompletableFuture<>();
    final CompletableFuture<Status> status = new CompletableFuture<>();
    volatile Metadata trailers;
    final LinkedBlockingQueue<Boolean> readies = new LinkedBlockingQueue<>();

    @Override
    public void onHeaders(Metadata headers) {
      this.headers.complete(headers);
    }

    @Override
    public void onMessage(DynamicMessage message) {
      received.add(text(message));
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      this.trailers = trailers;
      this.status.complete(status);
    }

    @Override
    public void onReady() {
      readies.add(true);
    }

    String next() throws InterruptedException {
      String message = received.poll(10, TimeUnit.SECONDS);
      if (message == null) {
        throw new AssertionError("no message within 10 s");
      }
      return message;
    }

    Status end() throws Exception {
      return status.get(10, TimeUnit.SECONDS);
    }
  }

  private ClientCall<DynamicMessage, DynamicMessage> call(String method, Host host, CallOptions options) {
    var call = channel.newCall(DynamicMethods.describe(service.findMethodByName(method)), options);
    call.start(host, new Metadata());
    return call;
  }

  @Test
  void unaryAnswersOnce() throws Exception {
    handlers.put("Unary", ServerCalls.unary((request, context) ->
        CompletableFuture.completedFuture(msg(text(request) + "!"))));
    var host = new Host();
    var call = call("Unary", host, CallOptions.DEFAULT);
    call.request(2);
    call.sendMessage(msg("hi"));
    call.halfClose();
    assertEquals("hi!", host.next());
    assertTrue(host.end().isOk());
  }

  @Test
  void aServerStreamIsHeldBackWhileTheHostDoesNotReadAndGoesOnWhenItDoes() throws Exception {
    var started = new CompletableFuture<List<Integer>>();
    handlers.put("Server", ServerCalls.serverStreaming((request, sink, context) -> {
      List<Integer> pausedAfter = new CopyOnWriteArrayList<>();
      int[] sent = {0};
      Runnable run = new Runnable() {
        @Override
        public synchronized void run() {
          while (sent[0] < 10) {
            if (!sink.isReady()) {
              pausedAfter.add(sent[0]);
              return;
            }
            sent[0]++;
            sink.next(msg(String.valueOf(sent[0])));
          }
          if (sent[0] == 10) {
            sent[0]++;
            sink.complete();
          }
        }
      };
      sink.setOnReady(run);
      started.complete(pausedAfter);
      run.run();
    }));
    var host = new Host();
    var call = call("Server", host, CallOptions.DEFAULT);
    call.request(3);
    call.sendMessage(msg("go"));
    call.halfClose();
    List<String> firstThree = List.of(host.next(), host.next(), host.next());
    assertEquals(List.of("1", "2", "3"), firstThree);
    List<Integer> pausedAfter = started.get(10, TimeUnit.SECONDS);
    while (pausedAfter.isEmpty()) {
      Thread.onSpinWait();
    }
    assertEquals(3, pausedAfter.getFirst(), "the handler waits once the host stops reading");
    assertTrue(host.received.isEmpty());
    assertFalse(host.status.isDone());
    call.request(100);
    List<String> rest = new ArrayList<>();
    for (int i = 4; i <= 10; i++) {
      rest.add(host.next());
    }
    assertEquals(List.of("4", "5", "6", "7", "8", "9", "10"), rest);
    assertTrue(host.end().isOk());
  }

  @Test
  void aClientStreamIsPulledByTheHandler() throws Exception {
    var pulls = new LinkedBlockingQueue<Runnable>();
    handlers.put("Client", PullingHandlers.joining(pulls, service.findMethodByName("Client").getOutputType()));
    var host = new Host();
    var call = call("Client", host, CallOptions.DEFAULT);
    call.request(1);
    for (String part : List.of("a", "b", "c")) {
      pulls.poll(10, TimeUnit.SECONDS).run();  // the handler asks for one more
      while (!call.isReady()) {
        host.readies.poll(10, TimeUnit.SECONDS);
      }
      call.sendMessage(msg(part));
      assertFalse(call.isReady(), "the host may not send beyond what the handler pulled");
    }
    pulls.poll(10, TimeUnit.SECONDS).run();
    call.halfClose();
    assertEquals("abc", host.next());
    assertTrue(host.end().isOk());
  }

  /** Echoes each request as it comes, then completes; records the cancellation's reason. */
  private MethodHandler echo(CompletableFuture<CallFailure> cancelled, CompletableFuture<ResponseSink> sinks) {
    return PullingHandlers.echoing(request -> request, (sink, context) -> {
      context.cancellation().whenCancelled(cancelled::complete);
      sinks.complete(sink);
    });
  }

  @Test
  void bidiEchoesAsRequestsCome() throws Exception {
    var cancelled = new CompletableFuture<CallFailure>();
    handlers.put("Bidi", echo(cancelled, new CompletableFuture<>()));
    var host = new Host();
    var call = call("Bidi", host, CallOptions.DEFAULT);
    call.request(10);
    call.sendMessage(msg("a"));
    assertEquals("a", host.next());
    call.sendMessage(msg("b"));
    assertEquals("b", host.next());
    call.halfClose();
    assertTrue(host.end().isOk());
    assertFalse(cancelled.isDone(), "a normal end is no cancellation");
  }

  @Test
  void theHostCancellingMidStreamReachesTheHandlerWhoseLaterAnswersAreDropped() throws Exception {
    var cancelled = new CompletableFuture<CallFailure>();
    var sinks = new CompletableFuture<ResponseSink>();
    handlers.put("Bidi", echo(cancelled, sinks));
    var host = new Host();
    var call = call("Bidi", host, CallOptions.DEFAULT);
    call.request(10);
    call.sendMessage(msg("a"));
    assertEquals("a", host.next());
    call.cancel("the host is done", null);
    CallFailure reason = cancelled.get(10, TimeUnit.SECONDS);
    assertEquals("CANCELLED", reason.code());
    assertEquals("s.S/Bidi: the host cancelled the call", reason.getMessage());
    assertEquals(Status.Code.CANCELLED, host.end().getCode());
    ResponseSink sink = sinks.get();
    assertFalse(sink.isReady());
    sink.next(msg("late"));  // dropped, not thrown
    sink.fail(new CallFailure("INTERNAL", "late"));
    sink.complete();
  }

  @Test
  void theHostsDeadlineEndsAStreamAndReachesTheHandler() throws Exception {
    var cancelled = new CompletableFuture<CallFailure>();
    handlers.put("Bidi", echo(cancelled, new CompletableFuture<>()));
    var host = new Host();
    var call = call("Bidi", host, CallOptions.DEFAULT.withDeadlineAfter(300, TimeUnit.MILLISECONDS));
    call.request(10);
    call.sendMessage(msg("a"));
    assertEquals("a", host.next());
    assertEquals(Status.Code.DEADLINE_EXCEEDED, host.end().getCode());
    CallFailure reason = cancelled.get(10, TimeUnit.SECONDS);
    assertEquals("DEADLINE_EXCEEDED", reason.code());
    assertEquals("s.S/Bidi: the host's deadline passed", reason.getMessage());
  }

  @Test
  void headersGoWithTheFirstResponseTrailersAndDetailsWithTheStatusAfterTheResponses() throws Exception {
    var lateHeader = new CompletableFuture<Throwable>();
    Any detail = Any.pack(StringValue.of("why"));
    handlers.put("Server", ServerCalls.serverStreaming((request, sink, context) -> {
      ResponseMetadata metadata = context.responseMetadata();
      metadata.add(false, "x-h", "1");
      metadata.add(true, "x-early", "e");
      sink.next(msg("1"));
      try {
        metadata.add(false, "x-late", "2");
        lateHeader.complete(null);
      } catch (RuntimeException e) {
        lateHeader.complete(e);
      }
      sink.next(msg("2"));
      metadata.add(true, "x-t", "t");
      sink.fail(new CallFailure("ABORTED", "after two", null, null, List.of(detail)));
    }));
    var host = new Host();
    var call = call("Server", host, CallOptions.DEFAULT);
    call.request(10);
    call.sendMessage(msg("go"));
    call.halfClose();
    Metadata headers = host.headers.get(10, TimeUnit.SECONDS);
    assertEquals("1", headers.get(Metadata.Key.of("x-h", Metadata.ASCII_STRING_MARSHALLER)));
    assertEquals(List.of("1", "2"), List.of(host.next(), host.next()));
    Status status = host.end();
    assertEquals(Status.Code.ABORTED, status.getCode());
    assertEquals("after two", status.getDescription());
    assertInstanceOf(ResponseMetadata.CallEndedException.class, lateHeader.get());
    assertTrue(host.trailers.containsKey(Metadata.Key.of("x-t", Metadata.ASCII_STRING_MARSHALLER)));
    assertTrue(host.trailers.containsKey(Metadata.Key.of("x-early", Metadata.ASCII_STRING_MARSHALLER)));
    assertEquals(List.of(detail), StatusProto.fromStatusAndTrailers(status, host.trailers).getDetailsList());
  }

  /** The same method name called as a stream of requests, so that a test may send a one-request method none or two. */
  private ClientCall<DynamicMessage, DynamicMessage> asStream(String method, Host host) {
    MethodDescriptor<DynamicMessage, DynamicMessage> described = DynamicMethods.describe(service.findMethodByName(method))
        .toBuilder().setType(MethodDescriptor.MethodType.BIDI_STREAMING).build();
    var call = channel.newCall(described, CallOptions.DEFAULT);
    call.start(host, new Metadata());
    call.request(10);
    return call;
  }

  /**
   * grpc-java refuses these itself before the call reaches the bridge (for a method it knows takes one request),
   * resetting the stream: the host sees the call fail, and the handler does not run.
   */
  @Test
  void aOneRequestMethodGivenNoneOrTwoFailsWithoutRunningTheHandler() throws Exception {
    handlers.put("Unary", ServerCalls.unary((request, context) -> CompletableFuture.completedFuture(request)));
    handlers.put("Server", ServerCalls.serverStreaming((request, sink, context) -> sink.complete()));
    var two = new Host();
    var twoCall = asStream("Unary", two);
    twoCall.sendMessage(msg("a"));
    twoCall.sendMessage(msg("b"));
    twoCall.halfClose();
    assertFalse(two.end().isOk(), two.end().toString());

    var none = new Host();
    asStream("Server", none).halfClose();
    assertFalse(none.end().isOk(), none.end().toString());
    assertEquals(0, invocations.get());
  }

  @Test
  void malformedBytesFailAClientStreamWithoutDeliveringThem() throws Exception {
    start(true);
    var delivered = new AtomicInteger();
    var cancelled = new CompletableFuture<CallFailure>();
    handlers.put("Client", ServerCalls.clientStreaming((requests, context) -> {
      context.cancellation().whenCancelled(cancelled::complete);
      requests.start(new RequestListener() {
        @Override
        public void onNext(DynamicMessage request) {
          delivered.incrementAndGet();
        }

        @Override
        public void onCompleted() {}
      });
      requests.request(5);
      return new CompletableFuture<>();
    }));
    var bytes = RawBytes.method(MethodDescriptor.MethodType.BIDI_STREAMING, "s.S/Client");
    var status = new CompletableFuture<Status>();
    var call = channel.newCall(bytes, CallOptions.DEFAULT);
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onClose(Status closed, Metadata trailers) {
        status.complete(closed);
      }
    }, new Metadata());
    call.sendMessage("\u00ff\u00ff\u00ff".getBytes(StandardCharsets.ISO_8859_1));
    call.sendMessage(msg("valid").toByteArray());
    call.halfClose();
    assertEquals(Status.Code.INVALID_ARGUMENT, status.get(10, TimeUnit.SECONDS).getCode());
    assertTrue(status.get().getDescription().startsWith("s.S/Client: the request is not a valid s.Msg: "),
        status.get().getDescription());
    assertEquals("INVALID_ARGUMENT", cancelled.get(10, TimeUnit.SECONDS).code(), "the handler is told the call ended");
    assertEquals(0, delivered.get());
  }
}
