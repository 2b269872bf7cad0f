package dev.bridge.script;

import static dev.bridge.script.StreamProtos.countRequest;
import static dev.bridge.script.StreamProtos.field;
import static dev.bridge.script.StreamProtos.ping;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.grpc.DynamicMethods;
import dev.bridge.rpc.grpc.DynamicService;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The script's streams served by grpc-java (in-process): its flow control, cancel and deadline reach the script. */
class StreamsOverGrpcTest {
  @RegisterExtension final ScriptsUnderTest scripts = new ScriptsUnderTest();
  private ScriptRuntime runtime;
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void serve() throws Exception {
    runtime = scripts.load(StreamingHandlersTest.SCRIPT,
        ScriptOptions.defaults().withCallTimeout(StreamingHandlersTest.CALL_TIMEOUT));
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name)
        .addService(DynamicService.bind(StreamProtos.FILE.findServiceByName("Inventory"), runtime.handlers()))
        .build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  private String log() {
    DynamicMessage response = ClientCalls.blockingUnaryCall(channel, DynamicMethods.describe(StreamProtos.GET),
        CallOptions.DEFAULT, countRequest(0, "log"));
    return (String) field(response, "name");
  }

  private long produced() {
    DynamicMessage response = ClientCalls.blockingUnaryCall(channel, DynamicMethods.describe(StreamProtos.GET),
        CallOptions.DEFAULT, countRequest(0, "produced"));
    return (Long) field(response, "n");
  }

  private void awaitLog(String entry) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!log().contains(entry)) {
      assertTrue(System.nanoTime() < until, () -> "log never held \"" + entry + "\": " + log());
      Thread.sleep(10);
    }
  }

  @Test
  void aServerStreamArrivesWhole() {
    Iterator<DynamicMessage> items = ClientCalls.blockingServerStreamingCall(channel,
        DynamicMethods.describe(StreamProtos.COUNT), CallOptions.DEFAULT, countRequest(1000, "plain"));
    long n = 0;
    while (items.hasNext()) {
      assertEquals(++n, field(items.next(), "n"));
    }
    assertEquals(1000, n);
  }

  @Test
  void aClientThatDoesNotReadHoldsTheGeneratorBack() throws Exception {
    ClientCall<DynamicMessage, DynamicMessage> call = channel.newCall(DynamicMethods.describe(StreamProtos.COUNT),
        CallOptions.DEFAULT);
    LinkedBlockingQueue<DynamicMessage> received = new LinkedBlockingQueue<>();
    CompletableFuture<Status> closed = new CompletableFuture<>();
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onMessage(DynamicMessage message) {
        received.add(message);
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        closed.complete(status);
      }
    }, new Metadata());
    call.sendMessage(countRequest(20_000, "counted"));
    call.halfClose();
    call.request(10);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (produced() < 10) {
      assertTrue(System.nanoTime() < until, "the 10 responses asked for never came");
      Thread.sleep(10);
    }
    Thread.sleep(200);
    long held = produced();
    // grpc-java buffers a little beyond what the client asked for; nowhere near the 20000.
    assertTrue(held < 200, () -> "the generator ran ahead to " + held);
    Thread.sleep(100);
    assertEquals(held, produced(), "not resumed while the client does not read");
    call.request(Integer.MAX_VALUE);
    assertEquals(Status.Code.OK, closed.get(60, TimeUnit.SECONDS).getCode());
    assertEquals(20_000, received.size());
  }

  @Test
  void bidiEchoesAndTheHostsCancelReachesTheHandler() throws Exception {
    LinkedBlockingQueue<DynamicMessage> echoes = new LinkedBlockingQueue<>();
    CompletableFuture<Throwable> end = new CompletableFuture<>();
    StreamObserver<DynamicMessage> pings = ClientCalls.asyncBidiStreamingCall(
        channel.newCall(DynamicMethods.describe(StreamProtos.ECHO), CallOptions.DEFAULT),
        new StreamObserver<>() {
          @Override
          public void onNext(DynamicMessage value) {
            echoes.add(value);
          }

          @Override
          public void onError(Throwable t) {
            end.complete(t);
          }

          @Override
          public void onCompleted() {
            end.complete(null);
          }
        });
    for (long seq = 1; seq <= 3; seq++) {
      pings.onNext(ping(seq));
      assertEquals(seq, field(echoes.poll(30, TimeUnit.SECONDS), "seq"));
    }
    pings.onError(Status.CANCELLED.withDescription("enough").asRuntimeException());
    // Closed at its yield, or failed in its next read (StreamingHandlersTest pins that down): finally runs.
    awaitLog("Echo finally aborted=true");
  }

  @Test
  void theHostsDeadlineEndsAServerStream() throws Exception {
    Iterator<DynamicMessage> items = ClientCalls.blockingServerStreamingCall(channel,
        DynamicMethods.describe(StreamProtos.COUNT), CallOptions.DEFAULT.withDeadlineAfter(1500, TimeUnit.MILLISECONDS),
        countRequest(0, "forever"));
    List<DynamicMessage> got = new ArrayList<>();
    var failure = assertThrows(StatusRuntimeException.class, () -> items.forEachRemaining(got::add));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, failure.getStatus().getCode());
    // Items were flowing when the deadline passed (how many depends on the machine's load).
    assertFalse(got.isEmpty(), "no item before the deadline");
    awaitLog("forever finally aborted=true DEADLINE_EXCEEDED");
  }

  @Test
  void aFailureAfterSomeResponsesKeepsThem() {
    Iterator<DynamicMessage> items = ClientCalls.blockingServerStreamingCall(channel,
        DynamicMethods.describe(StreamProtos.COUNT), CallOptions.DEFAULT, countRequest(2, "fail"));
    List<DynamicMessage> got = new ArrayList<>();
    var failure = assertThrows(StatusRuntimeException.class, () -> items.forEachRemaining(got::add));
    assertEquals(2, got.size());
    assertEquals(Status.Code.FAILED_PRECONDITION, failure.getStatus().getCode());
    assertEquals("out of stock", failure.getStatus().getDescription());
    com.google.rpc.Status details = io.grpc.protobuf.StatusProto.fromThrowable(failure);
    assertEquals(1, details.getDetailsCount());
  }
}
