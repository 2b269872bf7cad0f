package dev.bridge.rpc.grpc;

import dev.bridge.rpc.CallContext;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.Handlers;
import dev.bridge.rpc.MethodHandler;
import dev.bridge.rpc.ResponseMetadata;
import dev.bridge.rpc.ServerCalls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import dev.bridge.schema.ProtoFileLoader;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DynamicServiceTest {
  @TempDir Path dir;

  Descriptors.ServiceDescriptor kv;
  Descriptors.ServiceDescriptor streams;
  Map<String, ServerCalls.UnaryMethod> handlerByMethod = new ConcurrentHashMap<>();
  Server server;
  ManagedChannel channel;

  @BeforeEach
  void serve() throws Exception {
    Path proto = Files.writeString(dir.resolve("t.proto"), """
        syntax = "proto3";
        package t;
        message GetRequest { string key = 1; }
        message GetResponse { bytes value = 1; }
        service KV { rpc Get(GetRequest) returns (GetResponse); rpc Other(GetRequest) returns (GetResponse); rpc Absent(GetRequest) returns (GetResponse); }
        service Streams { rpc Watch(GetRequest) returns (stream GetResponse); rpc Chat(stream GetRequest) returns (stream GetResponse); }
        """);
    var schema = new ProtoFileLoader().load(List.of(proto), List.of());
    kv = schema.service("t.KV").orElseThrow();
    streams = schema.service("t.Streams").orElseThrow();
    Handlers handlers = new Handlers() {
      @Override
      public Optional<MethodHandler> find(Descriptors.MethodDescriptor method) {
        if (method.getName().equals("Absent")) {
          return Optional.empty();
        }
        // Looked up per call, so that each test can set the behaviour it needs after start-up.
        return Optional.of(ServerCalls.unary(
            (request, context) -> handlerByMethod.get(method.getName()).invoke(request, context)));
      }

      @Override
      public String describeMissing(Descriptors.MethodDescriptor method) {
        return "export a function named " + method.getName();
      }
    };
    handlerByMethod.put("Get", (request, context) -> CompletableFuture.completedFuture(
        response("value of " + request.getField(request.getDescriptorForType().findFieldByName("key")))));
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name)
        .addService(DynamicService.bind(kv, handlers))
        .addService(DynamicService.bind(streams, handlers))
        .build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  DynamicMessage request(String key) {
    var type = kv.findMethodByName("Get").getInputType();
    return DynamicMessage.newBuilder(type).setField(type.findFieldByName("key"), key).build();
  }

  DynamicMessage response(String value) {
    var type = kv.findMethodByName("Get").getOutputType();
    return DynamicMessage.newBuilder(type)
        .setField(type.findFieldByName("value"), ByteString.copyFromUtf8(value)).build();
  }

  DynamicMessage call(String method, DynamicMessage request) {
    return ClientCalls.blockingUnaryCall(channel,
        DynamicMethods.describe(kv.findMethodByName(method)), CallOptions.DEFAULT, request);
  }

  String valueOf(DynamicMessage response) {
    return ((ByteString) response.getField(response.getDescriptorForType().findFieldByName("value"))).toStringUtf8();
  }

  @Test
  void aCallReachesItsHandlerAndTheAnswerComesBack() {
    assertEquals("value of hello", valueOf(call("Get", request("hello"))));
  }

  @Test
  void anAnswerCompletedLaterOnAnotherThreadStillArrives() {
    var later = Executors.newSingleThreadScheduledExecutor();
    try {
      handlerByMethod.put("Get", (request, context) -> CompletableFuture.supplyAsync(
          () -> response("late"), CompletableFuture.delayedExecutor(50, java.util.concurrent.TimeUnit.MILLISECONDS, later)));
      assertEquals("late", valueOf(call("Get", request("x"))));
    } finally {
      later.shutdownNow();
    }
  }

  @Test
  void aCallFailureBecomesItsStatusAndTheServiceKeepsServing() {
    handlerByMethod.put("Other", (request, context) ->
        CompletableFuture.failedFuture(new CallFailure("NOT_FOUND", "no value for key nope")));
    var error = assertThrows(StatusRuntimeException.class, () -> call("Other", request("nope")));
    assertEquals(Status.Code.NOT_FOUND, error.getStatus().getCode());
    assertEquals("no value for key nope", error.getStatus().getDescription());
    assertEquals("value of again", valueOf(call("Get", request("again"))));
  }

  @Test
  void anyOtherExceptionIsUnknownWithItsMessage() {
    handlerByMethod.put("Other", (request, context) -> { throw new IllegalStateException("boom"); });
    var error = assertThrows(StatusRuntimeException.class, () -> call("Other", request("x")));
    assertEquals(Status.Code.UNKNOWN, error.getStatus().getCode());
    assertEquals("boom", error.getStatus().getDescription());
  }

  @Test
  void aMethodWithoutHandlerIsUnimplementedNamingWhatIsMissing() {
    var error = assertThrows(StatusRuntimeException.class, () -> call("Absent", request("x")));
    assertEquals(Status.Code.UNIMPLEMENTED, error.getStatus().getCode());
    assertEquals("t.KV/Absent has no handler: export a function named Absent", error.getStatus().getDescription());
  }

  @Test
  void requestHeadersReachTheHandler() {
    handlerByMethod.put("Get", (request, context) -> CompletableFuture.completedFuture(response(
        context.fullMethodName() + " " + context.metadata().get("x-trace"))));
    var headers = new Metadata();
    headers.put(Metadata.Key.of("x-trace", Metadata.ASCII_STRING_MARSHALLER), "abc");
    var intercepted = io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    var response = ClientCalls.blockingUnaryCall(intercepted,
        DynamicMethods.describe(kv.findMethodByName("Get")), CallOptions.DEFAULT, request("k"));
    assertEquals("t.KV/Get [abc]", valueOf(response));
  }

  @Test
  void malformedRequestBytesAreInvalidArgumentNamingTheMethodWithoutReachingTheHandlerAndServingGoesOn() {
    handlerByMethod.put("Get", (request, context) -> { throw new AssertionError("must not be called"); });
    var garbage = RawBytes.method(MethodDescriptor.MethodType.UNARY, "t.KV/Get");
    var error = assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
        channel, garbage, CallOptions.DEFAULT, "\u00ff\u00ff\u00ff".getBytes(StandardCharsets.ISO_8859_1)));
    assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode());
    String description = error.getStatus().getDescription();
    assertTrue(description.startsWith("t.KV/Get: the request is not a valid t.GetRequest: "), description);
    assertTrue(description.length() > "t.KV/Get: the request is not a valid t.GetRequest: ".length(), description);
    handlerByMethod.put("Get", (request, context) -> CompletableFuture.completedFuture(response("ok")));
    assertEquals("ok", valueOf(call("Get", request("ok"))));
  }

  @Test
  void theHostsDeadlineReachesTheHandlerWhichIsToldWhenItPasses() throws Exception {
    var seen = new CompletableFuture<CallContext>();
    var never = new CompletableFuture<DynamicMessage>();
    handlerByMethod.put("Get", (request, context) -> {
      seen.complete(context);
      return never;
    });
    var error = assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(channel,
        DynamicMethods.describe(kv.findMethodByName("Get")),
        CallOptions.DEFAULT.withDeadlineAfter(300, TimeUnit.MILLISECONDS), request("slow")));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, error.getStatus().getCode());
    CallContext context = seen.get(10, TimeUnit.SECONDS);
    assertTrue(context.deadline().isPresent());
    assertTrue(context.deadline().get().isBefore(Instant.now().plusSeconds(10)));
    var reason = new CompletableFuture<CallFailure>();
    context.cancellation().whenCancelled(reason::complete);
    assertEquals("DEADLINE_EXCEEDED", reason.get(10, TimeUnit.SECONDS).code());
    assertEquals("t.KV/Get: the host's deadline passed", reason.get().getMessage());
    // Answering after the host gave up is dropped quietly, and the service keeps serving.
    never.complete(response("too late"));
    handlerByMethod.put("Get", (request, context2) -> CompletableFuture.completedFuture(response("ok")));
    assertEquals("ok", valueOf(call("Get", request("ok"))));
  }

  @Test
  void theHostCancellingACallReachesTheHandler() throws Exception {
    var seen = new CompletableFuture<CallContext>();
    var never = new CompletableFuture<DynamicMessage>();
    handlerByMethod.put("Get", (request, context) -> {
      seen.complete(context);
      return never;
    });
    var pending = ClientCalls.futureUnaryCall(
        channel.newCall(DynamicMethods.describe(kv.findMethodByName("Get")), CallOptions.DEFAULT), request("x"));
    CallContext context = seen.get(10, TimeUnit.SECONDS);
    assertTrue(context.deadline().isEmpty());
    assertTrue(!context.cancellation().isCancelled());
    pending.cancel(true);
    var reason = new CompletableFuture<CallFailure>();
    context.cancellation().whenCancelled(reason::complete);
    assertEquals("CANCELLED", reason.get(10, TimeUnit.SECONDS).code());
    assertEquals("t.KV/Get: the host cancelled the call", reason.get().getMessage());
    never.completeExceptionally(new CallFailure("INTERNAL", "too late"));
    handlerByMethod.put("Get", (request, context2) -> CompletableFuture.completedFuture(response("ok")));
    assertEquals("ok", valueOf(call("Get", request("ok"))));
  }

  /**
   * A Go host's gRPC cancels the stream when its own deadline timer fires, a transit time before ours: that
   * cancel is the deadline passing (GrpcCallHandler.DEADLINE_SLACK_MILLIS), not the host changing its mind.
   */
  @Test
  void aHostCancellingAtItsDeadlineIsItsDeadlinePassing() throws Exception {
    var seen = new CompletableFuture<CallContext>();
    var never = new CompletableFuture<DynamicMessage>();
    handlerByMethod.put("Get", (request, context) -> {
      seen.complete(context);
      return never;
    });
    var pending = ClientCalls.futureUnaryCall(channel.newCall(DynamicMethods.describe(kv.findMethodByName("Get")),
        CallOptions.DEFAULT.withDeadlineAfter(2, TimeUnit.SECONDS)), request("x"));
    CallContext context = seen.get(10, TimeUnit.SECONDS);
    Instant cancelAt = context.deadline().orElseThrow().minusMillis(100);
    Thread.sleep(Math.max(0, java.time.Duration.between(Instant.now(), cancelAt).toMillis()));
    pending.cancel(true);
    var reason = new CompletableFuture<CallFailure>();
    context.cancellation().whenCancelled(reason::complete);
    assertEquals("DEADLINE_EXCEEDED", reason.get(10, TimeUnit.SECONDS).code());
    never.complete(response("too late"));
  }

  @Test
  void aCallThatEndsNormallyIsNotReportedCancelled() throws Exception {
    var seen = new CompletableFuture<CallContext>();
    handlerByMethod.put("Get", (request, context) -> {
      seen.complete(context);
      return CompletableFuture.completedFuture(response("fine"));
    });
    assertEquals("fine", valueOf(call("Get", request("x"))));
    assertTrue(!seen.get(10, TimeUnit.SECONDS).cancellation().isCancelled());
  }

  @Test
  void binaryRequestHeadersReachTheHandlerAsBytes() {
    handlerByMethod.put("Get", (request, context) -> CompletableFuture.completedFuture(response(
        java.util.Arrays.toString(context.binaryMetadata().get("x-token-bin").getFirst())
            + " " + context.metadata().containsKey("x-token-bin"))));
    var headers = new Metadata();
    headers.put(Metadata.Key.of("x-token-bin", Metadata.BINARY_BYTE_MARSHALLER), new byte[] {7, 0, -56});
    var intercepted = io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    var response = ClientCalls.blockingUnaryCall(intercepted,
        DynamicMethods.describe(kv.findMethodByName("Get")), CallOptions.DEFAULT, request("k"));
    assertEquals("[7, 0, -56] false", valueOf(response));
  }

  @Test
  void responseHeadersAndTrailersReachTheHostOnSuccessAndOnFailure() {
    var headers = new java.util.concurrent.atomic.AtomicReference<Metadata>();
    var trailers = new java.util.concurrent.atomic.AtomicReference<Metadata>();
    var captured = io.grpc.ClientInterceptors.intercept(channel,
        MetadataUtils.newCaptureMetadataInterceptor(headers, trailers));
    var header = Metadata.Key.of("x-served-by", Metadata.ASCII_STRING_MARSHALLER);
    var trailer = Metadata.Key.of("x-raw-bin", Metadata.BINARY_BYTE_MARSHALLER);
    for (boolean fail : List.of(false, true)) {
      handlerByMethod.put("Get", (request, context) -> {
        context.responseMetadata().add(false, "x-served-by", "a");
        context.responseMetadata().add(false, "x-served-by", "b");
        context.responseMetadata().add(true, "x-raw-bin", new byte[] {1, 2});
        return fail ? CompletableFuture.failedFuture(new CallFailure("NOT_FOUND", "gone"))
            : CompletableFuture.completedFuture(response("ok"));
      });
      headers.set(null);
      trailers.set(null);
      try {
        ClientCalls.blockingUnaryCall(captured, DynamicMethods.describe(kv.findMethodByName("Get")),
            CallOptions.DEFAULT, request("k"));
        assertTrue(!fail);
      } catch (StatusRuntimeException e) {
        assertTrue(fail && e.getStatus().getCode() == Status.Code.NOT_FOUND, e.toString());
      }
      // on a failure too: headers set before it are sent ahead of the status rather than lost
      assertEquals("[a, b]", headers.get() == null ? null : String.valueOf(
          java.util.stream.StreamSupport.stream(headers.get().getAll(header).spliterator(), false).toList()),
          "fail=" + fail);
      assertEquals("[1, 2]", java.util.Arrays.toString(trailers.get().get(trailer)), "fail=" + fail);
    }
  }

  @Test
  void settingHeadersAfterTheAnswerIsRefused() throws Exception {
    var context = new CompletableFuture<CallContext>();
    handlerByMethod.put("Get", (request, ctx) -> {
      context.complete(ctx);
      return CompletableFuture.completedFuture(response("ok"));
    });
    call("Get", request("k"));
    assertThrows(ResponseMetadata.CallEndedException.class,
        () -> context.get(10, TimeUnit.SECONDS).responseMetadata().add(false, "x-late", "1"));
  }
}
