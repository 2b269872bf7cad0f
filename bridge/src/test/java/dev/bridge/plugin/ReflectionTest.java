package dev.bridge.plugin;

import static dev.bridge.plugin.TestPlugins.TIMEOUT;
import static dev.bridge.plugin.TestPlugins.hostEnv;
import static dev.bridge.plugin.TestPlugins.testOptions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.MethodDescriptor;
import dev.bridge.dispatch.DynamicService;
import dev.bridge.dispatch.Handlers;
import dev.bridge.dispatch.MethodHandler;
import dev.bridge.schema.ProtoFileLoader;
import dev.bridge.schema.ProtoSchema;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With reflection on (dev mode), a reflection client lists and describes the plugin's services, reloads included. */
class ReflectionTest {
  private static final Handlers NONE = new Handlers() {
    @Override
    public Optional<MethodHandler> find(MethodDescriptor method) {
      return Optional.empty();
    }

    @Override
    public String describeMissing(MethodDescriptor method) {
      return "none";
    }
  };

  @TempDir Path dir;

  private static ServerReflectionResponse ask(TestPlugins.Client client, ServerReflectionRequest request)
      throws Exception {
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(client.channel)
        .withDeadlineAfter(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
        .serverReflectionInfo(new StreamObserver<>() {
          @Override
          public void onNext(ServerReflectionResponse response) {
            answer.complete(response);
          }

          @Override
          public void onError(Throwable t) {
            answer.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
    requests.onNext(request);
    requests.onCompleted();
    return answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  private static List<String> listServices(TestPlugins.Client client) throws Exception {
    return ask(client, ServerReflectionRequest.newBuilder().setListServices("").build())
        .getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName).sorted().toList();
  }

  private ProtoSchema schema(String name, String source) throws Exception {
    return new ProtoFileLoader().load(List.of(Files.writeString(dir.resolve(name), source)), List.of());
  }

  @Test
  void listsDescribesAndFollowsReplacedServices() throws Exception {
    ProtoSchema kv = new ProtoFileLoader().load(List.of(Path.of("../proto/kv.proto")), List.of());
    var kvService = DynamicService.bind(kv.service("proto.KV").orElseThrow(), NONE);
    try (TestPlugins.Started plugin = TestPlugins.start(hostEnv(dir), testOptions().withReflection(true), kvService);
        TestPlugins.Client client = TestPlugins.Client.connect(plugin.handshake().address())) {
      List<String> services = listServices(client);
      assertTrue(services.contains("proto.KV"), services.toString());
      assertTrue(services.contains("grpc.reflection.v1.ServerReflection"), services.toString());

      var described = ask(client, ServerReflectionRequest.newBuilder().setFileContainingSymbol("proto.KV").build());
      FileDescriptorProto file = FileDescriptorProto.parseFrom(
          described.getFileDescriptorResponse().getFileDescriptorProto(0));
      assertEquals("kv.proto", file.getName());
      assertEquals(List.of("Get", "Put"), file.getService(0).getMethodList().stream().map(m -> m.getName()).toList());

      ProtoSchema reloaded = schema("other.proto", """
          syntax = "proto3";
          package other;
          message Ping { string text = 1; }
          service Pinger { rpc Ping(Ping) returns (Ping); }
          """);
      plugin.server().replaceServices(List.of(DynamicService.bind(reloaded.service("other.Pinger").orElseThrow(), NONE)));
      List<String> after = listServices(client);
      assertTrue(after.contains("other.Pinger") && !after.contains("proto.KV"), after.toString());
    }
  }

  @Test
  void isOffUnlessAskedFor() throws Exception {
    try (TestPlugins.Started plugin = TestPlugins.start(hostEnv(dir), testOptions());
        TestPlugins.Client client = TestPlugins.Client.connect(plugin.handshake().address())) {
      var failure = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
          () -> listServices(client));
      assertTrue(failure.getCause().getMessage().startsWith("UNIMPLEMENTED"), failure.getCause().getMessage());
    }
  }
}
