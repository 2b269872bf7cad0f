package dev.bridge.rpc.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.rpc.BadRequest;
import dev.bridge.rpc.CallContext;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.ClientCall;
import dev.bridge.rpc.ClientCallOptions;
import dev.bridge.rpc.Handlers;
import dev.bridge.rpc.MethodHandler;
import dev.bridge.rpc.RequestListener;
import dev.bridge.rpc.ServerCalls;
import dev.bridge.schema.ProtoFileLoader;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client side of the four call shapes over grpc-java, against the server side the plugin itself uses. */
class GrpcRemoteChannelTest {
  @TempDir Path dir;

  Descriptors.ServiceDescriptor calc;
  Descriptors.Descriptor number;
  Server server;
  GrpcRemoteChannel channel;
  final CompletableFuture<CallContext> hanging = new CompletableFuture<>();
  final CompletableFuture<CallFailure> hangCancelled = new CompletableFuture<>();
  final AtomicLong produced = new AtomicLong();

  @BeforeEach
  void serve() throws Exception {
    Path proto = Files.writeString(dir.resolve("calc.proto"), """
        syntax = "proto3";
        package t;
        message N { int64 n = 1; string s = 2; }
        service Calc {
          rpc Add(N) returns (N);
          rpc Count(N) returns (stream N);
          rpc Sum(stream N) returns (N);
          rpc Echo(stream N) returns (stream N);
          rpc Hang(N) returns (N);
          rpc Refuse(N) returns (N);
        }
        """);
    var schema = new ProtoFileLoader().load(List.of(proto), List.of());
    calc = schema.service("t.Calc").orElseThrow();
    number = calc.findMethodByName("Add").getInputType();
    Handlers handlers = new Handlers() {
      @Override
      public Optional<MethodHandler> find(Descriptors.MethodDescriptor method) {
        return Optional.of(switch (method.getName()) {
          case "Add" -> ServerCalls.unary((request, context) -> {
            var response = context.responseMetadata();
            response.add(false, "x-seen", String.join(",", context.metadata().getOrDefault("x-trace", List.of())));
            byte[] bin = context.binaryMetadata().getOrDefault("x-raw-bin", List.of(new byte[0])).get(0);
            response.add(false, "x-raw-bin", bin);
            response.add(true, "x-done", "yes");
            return CompletableFuture.completedFuture(n(n(request) + 1));
          });
          case "Count" -> ServerCalls.serverStreaming((request, responses, context) -> {
            // Sends only while the client takes them: flow control holds the rest back.
            long[] next = {0};
            Runnable pump = () -> {
              synchronized (next) {
                while (next[0] < n(request) && responses.isReady()) {
                  produced.incrementAndGet();
                  responses.next(n(next[0]++));
                }
                if (next[0] == n(request)) {
                  next[0]++;
                  responses.complete();
                }
              }
            };
            responses.setOnReady(pump);
            pump.run();
          });
          case "Sum" -> ServerCalls.clientStreaming((requests, context) -> {
            var total = new CompletableFuture<DynamicMessage>();
            long[] sum = {0};
            requests.start(new RequestListener() {
              @Override
              public void onNext(DynamicMessage request) {
                sum[0] += n(request);
                requests.request(1);
              }

              @Override
              public void onCompleted() {
                total.complete(n(sum[0]));
              }
            });
            requests.request(1);
            return total;
          });
          case "Echo" -> ServerCalls.bidiStreaming((requests, responses, context) -> {
            requests.start(new RequestListener() {
              @Override
              public void onNext(DynamicMessage request) {
                responses.next(n(n(request) * 10));
                requests.request(1);
              }

              @Override
              public void onCompleted() {
                responses.complete();
              }
            });
            requests.request(1);
          });
          case "Hang" -> ServerCalls.unary((request, context) -> {
            context.cancellation().whenCancelled(hangCancelled::complete);
            hanging.complete(context);
            return new CompletableFuture<>();
          });
          case "Refuse" -> ServerCalls.unary((request, context) -> CompletableFuture.failedFuture(
              new CallFailure("INVALID_ARGUMENT", "n must be even", null, null, List.of(Any.pack(
                  BadRequest.newBuilder().addFieldViolations(BadRequest.FieldViolation.newBuilder()
                      .setField("n").setDescription("odd")).build())))));
          default -> throw new AssertionError(method.getName());
        });
      }

      @Override
      public String describeMissing(Descriptors.MethodDescriptor method) {
        return "nothing is missing";
      }
    };
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).addService(DynamicService.bind(calc, handlers)).build().start();
    channel = new GrpcRemoteChannel(InProcessChannelBuilder.forName(name).directExecutor().build(), "the test server");
  }

  @AfterEach
  void stop() {
    channel.close();
    server.shutdownNow();
  }

  DynamicMessage n(long value) {
    return DynamicMessage.newBuilder(number).setField(number.findFieldByName("n"), value).build();
  }

  static long n(DynamicMessage message) {
    return (Long) message.getField(message.getDescriptorForType().findFieldByName("n"));
  }

  ClientCall start(String method, ClientCallOptions options, RecordingListener listener) {
    return channel.start(calc.findMethodByName(method), options, listener);
  }

  @Test
  void unaryCarriesMetadataBothWaysAndEndsWithTrailers() throws Exception {
    var listener = new RecordingListener();
    var options = new ClientCallOptions(Optional.empty(), Map.of("x-trace", List.of("abc")),
        Map.of("x-raw-bin", List.of(new byte[] {0, (byte) 0xff, 7})));
    ClientCall call = start("Add", options, listener);
    call.request(1);
    call.send(n(41));
    call.halfClose();
    assertEquals(42, n(listener.nextMessage()));
    var end = listener.awaitEnd();
    assertNull(end.failure());
    assertEquals(List.of("abc"), listener.headers.get(10, TimeUnit.SECONDS).get("x-seen"));
    assertArrayEquals(new byte[] {0, (byte) 0xff, 7}, listener.binaryHeaders.get().get("x-raw-bin").get(0));
    assertEquals(List.of("yes"), end.trailers().get("x-done"));
  }

  @Test
  void serverStreamingDeliversOnlyWhatWasRequested() throws Exception {
    var listener = new RecordingListener();
    ClientCall call = start("Count", ClientCallOptions.none(), listener);
    call.request(2);
    call.send(n(5));
    call.halfClose();
    assertEquals(0, n(listener.nextMessage()));
    assertEquals(1, n(listener.nextMessage()));
    assertNull(listener.messages.poll(200, TimeUnit.MILLISECONDS), "nothing beyond the two requested");
    call.request(10);
    for (long i = 2; i < 5; i++) {
      assertEquals(i, n(listener.nextMessage()));
    }
    assertNull(listener.awaitEnd().failure());
  }

  @Test
  void clientStreamingSendsManyAndGetsOne() throws Exception {
    var listener = new RecordingListener();
    ClientCall call = start("Sum", ClientCallOptions.none(), listener);
    call.request(1);
    for (long i = 1; i <= 4; i++) {
      call.send(n(i));
    }
    call.halfClose();
    assertEquals(10, n(listener.nextMessage()));
    assertNull(listener.awaitEnd().failure());
  }

  @Test
  void bidiAnswersEachRequestInTurn() throws Exception {
    var listener = new RecordingListener();
    ClientCall call = start("Echo", ClientCallOptions.none(), listener);
    call.request(Integer.MAX_VALUE);
    // isReady is a hint that turns true once the stream exists; sends before that are buffered, not refused.
    call.send(n(1));
    assertEquals(10, n(listener.nextMessage()));
    call.send(n(2));
    assertEquals(20, n(listener.nextMessage()));
    call.halfClose();
    assertNull(listener.awaitEnd().failure());
  }

  @Test
  void cancellingEndsTheCallCancelledAndTellsTheServer() throws Exception {
    var listener = new RecordingListener();
    ClientCall call = start("Hang", ClientCallOptions.none(), listener);
    call.request(1);
    call.send(n(1));
    call.halfClose();
    hanging.get(10, TimeUnit.SECONDS);
    call.cancel("the script gave up");
    CallFailure failure = listener.awaitFailure();
    assertEquals("CANCELLED", failure.code());
    assertEquals("the script gave up", failure.getMessage());
    assertEquals("CANCELLED", hangCancelled.get(10, TimeUnit.SECONDS).code());
  }

  @Test
  void theDeadlineReachesTheServerAndEndsTheCall() throws Exception {
    var listener = new RecordingListener();
    Instant deadline = Instant.now().plusMillis(300);
    ClientCall call = start("Hang", new ClientCallOptions(Optional.of(deadline), Map.of(), Map.of()), listener);
    call.request(1);
    call.send(n(1));
    call.halfClose();
    var seen = hanging.get(10, TimeUnit.SECONDS).deadline().orElseThrow();
    assertTrue(Math.abs(seen.toEpochMilli() - deadline.toEpochMilli()) < 5_000, seen + " vs " + deadline);
    assertEquals("DEADLINE_EXCEEDED", listener.awaitFailure().code());
  }

  @Test
  void aDeadlineAlreadyPastFailsAtOnce() throws Exception {
    var listener = new RecordingListener();
    ClientCall call = start("Add",
        new ClientCallOptions(Optional.of(Instant.now().minusSeconds(1)), Map.of(), Map.of()), listener);
    call.request(1);
    call.send(n(1));
    call.halfClose();
    assertEquals("DEADLINE_EXCEEDED", listener.awaitFailure().code());
  }

  @Test
  void aFailureCarriesItsCodeMessageAndDetails() throws Exception {
    var listener = new RecordingListener();
    ClientCall call = start("Refuse", ClientCallOptions.none(), listener);
    call.request(1);
    call.send(n(1));
    call.halfClose();
    CallFailure failure = listener.awaitFailure();
    assertEquals("INVALID_ARGUMENT", failure.code());
    assertEquals("n must be even", failure.getMessage());
    assertEquals(1, failure.details().size());
    assertEquals("n", failure.details().get(0).unpack(BadRequest.class).getFieldViolations(0).getField());
  }

  @Test
  void closingTheChannelEndsCallsInProgressAndLaterOnesUnavailable() throws Exception {
    var listener = new RecordingListener();
    ClientCall call = start("Hang", ClientCallOptions.none(), listener);
    call.request(1);
    call.send(n(1));
    call.halfClose();
    hanging.get(10, TimeUnit.SECONDS);
    channel.close();
    CallFailure failure = listener.awaitFailure();
    assertEquals("UNAVAILABLE", failure.code());
    assertEquals("the connection to the test server was closed", failure.getMessage());

    var later = new RecordingListener();
    ClientCall refused = start("Add", ClientCallOptions.none(), later);
    refused.request(1);
    refused.send(n(1));
    refused.halfClose();
    CallFailure laterFailure = later.awaitFailure();
    assertEquals("UNAVAILABLE", laterFailure.code());
    assertEquals("the connection to the test server was closed", laterFailure.getMessage());
  }

  @Test
  void metadataThatCannotBeSentIsRefusedNamingTheEntry() {
    var stringUnderBin = new ClientCallOptions(Optional.empty(), Map.of("x-bin", List.of("a")), Map.of());
    var error = assertThrows(IllegalArgumentException.class, () -> start("Add", stringUnderBin, new RecordingListener()));
    assertTrue(error.getMessage().startsWith("metadata 'x-bin': "), error.getMessage());
    var bytesWithoutBin = new ClientCallOptions(Optional.empty(), Map.of(),
        Map.of("x-raw", List.of("a".getBytes(StandardCharsets.UTF_8))));
    error = assertThrows(IllegalArgumentException.class, () -> start("Add", bytesWithoutBin, new RecordingListener()));
    assertTrue(error.getMessage().startsWith("metadata 'x-raw': "), error.getMessage());
    var badName = new ClientCallOptions(Optional.empty(), Map.of("x trace", List.of("a")), Map.of());
    error = assertThrows(IllegalArgumentException.class, () -> start("Add", badName, new RecordingListener()));
    assertTrue(error.getMessage().startsWith("metadata 'x trace': not a valid header name"), error.getMessage());
    var newline = new ClientCallOptions(Optional.empty(), Map.of("x-trace", List.of("a\nb")), Map.of());
    error = assertThrows(IllegalArgumentException.class, () -> start("Add", newline, new RecordingListener()));
    assertTrue(error.getMessage().contains("U+000A"), error.getMessage());
  }
}
