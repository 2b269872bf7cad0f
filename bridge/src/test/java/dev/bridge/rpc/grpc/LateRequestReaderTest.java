package dev.bridge.rpc.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.Handlers;
import dev.bridge.rpc.MethodHandler;
import dev.bridge.rpc.RequestListener;
import dev.bridge.schema.ProtoFileLoader;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A handler may start reading its requests some time after its call started (the script runtime does, on the
 * JavaScript thread): whatever the host sent meanwhile, its end included, still reaches it. An empty stream of
 * requests is the case that broke: the host's half-close arrives before anything was requested.
 */
class LateRequestReaderTest {
  @TempDir Path dir;

  Descriptors.MethodDescriptor count;
  ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
  Server server;
  ManagedChannel channel;

  @BeforeEach
  void serve() throws Exception {
    Path proto = Files.writeString(dir.resolve("c.proto"), """
        syntax = "proto3";
        package c;
        message Item { int64 n = 1; }
        service Counter { rpc Count(stream Item) returns (Item); }
        """);
    Descriptors.ServiceDescriptor service = new ProtoFileLoader().load(List.of(proto), List.of())
        .service("c.Counter").orElseThrow();
    count = service.findMethodByName("Count");
    Handlers handlers = new Handlers() {
      @Override
      public Optional<MethodHandler> find(Descriptors.MethodDescriptor method) {
        return Optional.of(countingLate());
      }

      @Override
      public String describeMissing(Descriptors.MethodDescriptor method) {
        return "Count";
      }
    };
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).addService(DynamicService.bind(service, handlers)).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
    later.shutdownNow();
  }

  /** Starts reading 200 ms after the call started, on another thread; answers how many requests came. */
  MethodHandler countingLate() {
    return (requests, responses, context) -> later.schedule(() -> {
      requests.start(new RequestListener() {
        long n;

        @Override
        public void onNext(DynamicMessage request) {
          n++;
          requests.request(1);
        }

        @Override
        public void onCompleted() {
          responses.next(item(n));
          responses.complete();
        }
      });
      requests.request(1);
    }, 200, TimeUnit.MILLISECONDS);
  }

  DynamicMessage item(long n) {
    Descriptors.Descriptor type = count.getInputType();
    return DynamicMessage.newBuilder(type).setField(type.findFieldByName("n"), n).build();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3})
  void requestsSentBeforeTheHandlerReadsStillReachIt(int sent) throws Exception {
    CompletableFuture<DynamicMessage> answer = new CompletableFuture<>();
    StreamObserver<DynamicMessage> out = ClientCalls.asyncClientStreamingCall(
        channel.newCall(DynamicMethods.describe(count), CallOptions.DEFAULT), new StreamObserver<>() {
          @Override
          public void onNext(DynamicMessage value) {
            answer.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            answer.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            answer.complete(null);
          }
        });
    for (int i = 0; i < sent; i++) {
      out.onNext(item(i));
    }
    out.onCompleted();
    assertEquals(item(sent), answer.get(10, TimeUnit.SECONDS));
  }
}
