package dev.bridge.plugin;

import static dev.bridge.plugin.TestPlugins.TIMEOUT;
import static dev.bridge.plugin.TestPlugins.hostEnv;
import static dev.bridge.plugin.TestPlugins.testOptions;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Empty;
import dev.bridge.plugin.internal.ConnInfo;
import dev.bridge.plugin.internal.StdioData;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControllerShutdownTest {
  @TempDir Path dir;

  @Test
  void hostShutdownRepliesThenCompletesTheSignalAndTerminates() throws Exception {
    TestPlugins.Started plugin = TestPlugins.start(hostEnv(dir), testOptions());
    Path socket = Path.of(plugin.handshake().address().address());
    try (TestPlugins.Client client = TestPlugins.Client.connect(plugin.server().address())) {
      assertFalse(plugin.server().shutdownRequested().isDone());
      client.shutdownPlugin();
      plugin.server().shutdownRequested().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      assertTrue(plugin.server().awaitTermination(TIMEOUT));
    }
    assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void openBrokerAndStdioStreamsDoNotHoldUpShutdown() throws Exception {
    TestPlugins.Started plugin = TestPlugins.start(hostEnv(dir), testOptions());
    try (TestPlugins.Client client = TestPlugins.Client.connect(plugin.server().address())) {
      // What a go-plugin host keeps open for the whole session.
      CountDownLatch brokerEnded = new CountDownLatch(1);
      StreamObserver<ConnInfo> brokerRequests =
          ClientCalls.asyncBidiStreamingCall(
              client.channel.newCall(dev.bridge.plugin.broker.BrokerStreamService.START_STREAM, io.grpc.CallOptions.DEFAULT),
              new Ending<>(brokerEnded));
      CountDownLatch stdioEnded = new CountDownLatch(1);
      ClientCalls.asyncServerStreamingCall(
          client.channel.newCall(GrpcStdioService.STREAM_STDIO, io.grpc.CallOptions.DEFAULT),
          Empty.getDefaultInstance(),
          new Ending<StdioData>(stdioEnded));
      waitUntil(() -> plugin.server().stdio().hasSubscriber());

      client.shutdownPlugin();
      assertTrue(plugin.server().awaitTermination(TIMEOUT));
      assertTrue(brokerEnded.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
      assertTrue(stdioEnded.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
      brokerRequests.onCompleted();
    }
  }

  @Test
  void brokerStreamCompletesWhenTheHostClosesIt() throws Exception {
    try (TestPlugins.Started plugin = TestPlugins.start(hostEnv(dir), testOptions());
        TestPlugins.Client client = TestPlugins.Client.connect(plugin.server().address())) {
      CountDownLatch ended = new CountDownLatch(1);
      StreamObserver<ConnInfo> requests =
          ClientCalls.asyncBidiStreamingCall(
              client.channel.newCall(dev.bridge.plugin.broker.BrokerStreamService.START_STREAM, io.grpc.CallOptions.DEFAULT), new Ending<>(ended));
      requests.onNext(ConnInfo.newBuilder().setServiceId(7).setNetwork("unix").setAddress("/x").build());
      requests.onCompleted();
      assertTrue(ended.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    }
  }

  @Test
  void programShutdownDoesNotCountAsAHostRequest() throws Exception {
    TestPlugins.Started plugin = TestPlugins.start(hostEnv(dir), testOptions());
    plugin.server().shutdown();
    assertTrue(plugin.server().awaitTermination(TIMEOUT));
    assertFalse(plugin.server().shutdownRequested().isDone());
    // Idempotent.
    plugin.server().shutdown().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + TIMEOUT);
      }
      Thread.sleep(10);
    }
  }

  /** Counts down when the server ends the stream, however it ends. */
  record Ending<T>(CountDownLatch latch) implements StreamObserver<T> {
    @Override
    public void onNext(T value) {}

    @Override
    public void onError(Throwable t) {
      latch.countDown();
    }

    @Override
    public void onCompleted() {
      latch.countDown();
    }
  }
}
