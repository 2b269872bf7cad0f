package dev.bridge.plugin;

import static dev.bridge.plugin.TestPlugins.TIMEOUT;
import static dev.bridge.plugin.TestPlugins.hostEnv;
import static dev.bridge.plugin.TestPlugins.testOptions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.MethodDescriptor;
import dev.bridge.rpc.grpc.DynamicService;
import dev.bridge.rpc.Handlers;
import dev.bridge.rpc.MethodHandler;
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

/**
 * Reflection, always on, v1 and v1alpha: a client lists and describes the services served, go-plugin's own included
 * (as a Go plugin's reflection does), and sees the services a reload put in place.
 */
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

  /** The same question through v1alpha, the only version grpc-go clients before 1.57 speak. */
  private static List<String> listServicesV1alpha(TestPlugins.Client client) throws Exception {
    CompletableFuture<io.grpc.reflection.v1alpha.ServerReflectionResponse> answer = new CompletableFuture<>();
    var requests = io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(client.channel)
        .withDeadlineAfter(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
        .serverReflectionInfo(new StreamObserver<>() {
          @Override
          public void onNext(io.grpc.reflection.v1alpha.ServerReflectionResponse response) {
            answer.complete(response);
          }

          @Override
          public void onError(Throwable t) {
            answer.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
    requests.onNext(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("").build());
    requests.onCompleted();
    return answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
        .map(io.grpc.reflection.v1alpha.ServiceResponse::getName).sorted().toList();
  }

  private static final List<String> GO_PLUGINS_OWN = List.of("grpc.health.v1.Health",
      "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection", "plugin.GRPCBroker",
      "plugin.GRPCController", "plugin.GRPCStdio");

  private static List<String> listServices(TestPlugins.Client client) throws Exception {
    return ask(client, ServerReflectionRequest.newBuilder().setListServices("").build())
        .getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName).sorted().toList();
  }

  private ProtoSchema schema(String name, String source) throws Exception {
    return new ProtoFileLoader().load(List.of(Files.writeString(dir.resolve(name), source)), List.of());
  }

  @Test
  void bothVersionsListWhatIsServedAndFollowReplacedServices() throws Exception {
    ProtoSchema kv = new ProtoFileLoader().load(List.of(Path.of("../proto/kv.proto")), List.of());
    var kvService = DynamicService.bind(kv.service("proto.KV").orElseThrow(), NONE);
    try (TestPlugins.Started plugin = TestPlugins.start(hostEnv(dir), testOptions(), kvService);
        TestPlugins.Client client = TestPlugins.Client.connect(plugin.handshake().address())) {
      List<String> expected = new java.util.ArrayList<>(GO_PLUGINS_OWN);
      expected.add("proto.KV");
      expected.sort(null);
      assertEquals(expected, listServices(client));
      assertEquals(expected, listServicesV1alpha(client));

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
      for (List<String> after : List.of(listServices(client), listServicesV1alpha(client))) {
        assertTrue(after.contains("other.Pinger") && !after.contains("proto.KV"), after.toString());
        assertTrue(after.containsAll(GO_PLUGINS_OWN), after.toString());
      }
    }
  }

  @Test
  void goPluginsOwnServicesAreDescribedWithTheirMessages() throws Exception {
    try (TestPlugins.Started plugin = TestPlugins.start(hostEnv(dir), testOptions());
        TestPlugins.Client client = TestPlugins.Client.connect(plugin.handshake().address())) {
      for (String[] service : new String[][] {{"plugin.GRPCBroker", "StartStream", ".plugin.ConnInfo"},
          {"plugin.GRPCController", "Shutdown", ".plugin.Empty"},
          {"plugin.GRPCStdio", "StreamStdio", ".google.protobuf.Empty"}}) {
        var described = ask(client, ServerReflectionRequest.newBuilder().setFileContainingSymbol(service[0]).build());
        assertTrue(described.hasFileDescriptorResponse(), service[0] + ": " + described);
        FileDescriptorProto file = FileDescriptorProto.parseFrom(
            described.getFileDescriptorResponse().getFileDescriptorProto(0));
        assertEquals("plugin", file.getPackage(), service[0]);
        var method = file.getService(0).getMethod(0);
        assertEquals(service[1], method.getName(), service[0]);
        assertEquals(service[2], method.getInputType(), service[0]);
      }
    }
  }

  @Test
  void noServiceMayTakeAReflectionServicesName() {
    var fake = io.grpc.ServerServiceDefinition.builder("grpc.reflection.v1alpha.ServerReflection").build();
    var failure = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> TestPlugins.start(hostEnv(dir), testOptions(), fake));
    assertTrue(failure.getMessage().contains("grpc.reflection.v1alpha.ServerReflection"), failure.getMessage());
  }
}
