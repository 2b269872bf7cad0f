package dev.bridge.plugin;

import static dev.bridge.plugin.TestPlugins.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Empty;
import dev.bridge.plugin.internal.StdioData;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StdioPublisherTest {
  private Server server;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  @Test
  void subscriberReceivesPublishedOutputOnTheRightChannel() throws Exception {
    StdioPublisher publisher = new StdioPublisher();
    Subscriber host = subscribe(publisher);
    ControllerShutdownTest.waitUntil(publisher::hasSubscriber);
    publisher.publish(StdioStream.STDOUT, "hello\n".getBytes(StandardCharsets.UTF_8));
    publisher.publish(StdioStream.STDERR, "oops\n".getBytes(StandardCharsets.UTF_8));
    assertEquals("hello\n", host.read(StdioData.Channel.STDOUT, 6));
    assertEquals("oops\n", host.read(StdioData.Channel.STDERR, 5));
  }

  @Test
  void outputPublishedBeforeAnyoneSubscribedIsDeliveredInOrder() throws Exception {
    StdioPublisher publisher = new StdioPublisher();
    try (OutputStream out = publisher.outputStream(StdioStream.STDOUT)) {
      out.write('a');
      out.write("bc".getBytes(StandardCharsets.UTF_8));
    }
    publisher.publish(StdioStream.STDERR, "err".getBytes(StandardCharsets.UTF_8));
    publisher.publish(StdioStream.STDOUT, "d".getBytes(StandardCharsets.UTF_8));
    assertEquals(7, publisher.bufferedBytes());

    Subscriber host = subscribe(publisher);
    StdioData first = host.next();
    assertEquals(StdioData.Channel.STDOUT, first.getChannel());
    assertEquals("abc", first.getData().toStringUtf8());
    StdioData second = host.next();
    assertEquals(StdioData.Channel.STDERR, second.getChannel());
    assertEquals("err", second.getData().toStringUtf8());
    assertEquals("d", host.read(StdioData.Channel.STDOUT, 1));
  }

  @Test
  void publishingNeverBlocksWithoutASubscriberAndDropsTheOldest() {
    StdioPublisher publisher = new StdioPublisher(1000);
    byte[] block = new byte[100];
    assertTimeoutPreemptively(
        TIMEOUT,
        () -> {
          for (int i = 0; i < 100_000; i++) {
            block[0] = (byte) i;
            publisher.publish(StdioStream.STDOUT, block);
          }
        });
    assertEquals(1000, publisher.bufferedBytes());
    assertEquals(100L * 100_000 - 1000, publisher.droppedBytes());
  }

  @Test
  void keptOutputIsTheNewest() throws Exception {
    StdioPublisher publisher = new StdioPublisher(4);
    publisher.publish(StdioStream.STDOUT, "0123".getBytes(StandardCharsets.UTF_8));
    publisher.publish(StdioStream.STDOUT, "456".getBytes(StandardCharsets.UTF_8));
    assertEquals(3, publisher.droppedBytes());
    Subscriber host = subscribe(publisher);
    assertEquals("3456", host.read(StdioData.Channel.STDOUT, 4));
  }

  @Test
  void largeWritesAreSplitIntoBoundedMessages() throws Exception {
    StdioPublisher publisher = new StdioPublisher();
    byte[] big = new byte[StdioPublisher.MAX_CHUNK_BYTES * 3 + 5];
    java.util.Arrays.fill(big, (byte) 'x');
    publisher.publish(StdioStream.STDOUT, big);
    Subscriber host = subscribe(publisher);
    int total = 0;
    while (total < big.length) {
      StdioData data = host.next();
      assertTrue(data.getData().size() <= StdioPublisher.MAX_CHUNK_BYTES, "message of " + data.getData().size());
      total += data.getData().size();
    }
    assertEquals(big.length, total);
  }

  @Test
  void aSecondSubscriptionTakesOverAndEndsTheFirst() throws Exception {
    StdioPublisher publisher = new StdioPublisher();
    Subscriber first = subscribe(publisher);
    ControllerShutdownTest.waitUntil(publisher::hasSubscriber);
    Subscriber second = subscribe(publisher);
    assertTrue(first.ended.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    publisher.publish(StdioStream.STDOUT, "to the second".getBytes(StandardCharsets.UTF_8));
    assertEquals("to the second", second.read(StdioData.Channel.STDOUT, 13));
  }

  @Test
  void outputIsBufferedAgainAfterTheSubscriberLeaves() throws Exception {
    StdioPublisher publisher = new StdioPublisher();
    subscribe(publisher);
    ControllerShutdownTest.waitUntil(publisher::hasSubscriber);
    channel.shutdownNow().awaitTermination(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    ControllerShutdownTest.waitUntil(() -> !publisher.hasSubscriber());
    publisher.publish(StdioStream.STDOUT, "later".getBytes(StandardCharsets.UTF_8));
    assertEquals(5, publisher.bufferedBytes());
  }

  private Subscriber subscribe(StdioPublisher publisher) throws Exception {
    if (server == null) {
      String name = InProcessServerBuilder.generateName();
      server =
          InProcessServerBuilder.forName(name)
              .addService(GrpcStdioService.definition(publisher))
              .build()
              .start();
      channel = InProcessChannelBuilder.forName(name).build();
    }
    Subscriber subscriber = new Subscriber();
    ClientCalls.asyncServerStreamingCall(
        channel.newCall(GrpcStdioService.STREAM_STDIO, CallOptions.DEFAULT), Empty.getDefaultInstance(), subscriber);
    return subscriber;
  }

  /** A host reading the stdio stream. */
  static final class Subscriber implements StreamObserver<StdioData> {
    final LinkedBlockingQueue<StdioData> received = new LinkedBlockingQueue<>();
    final CountDownLatch ended = new CountDownLatch(1);

    StdioData next() throws InterruptedException {
      StdioData data = received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (data == null) {
        throw new AssertionError("no stdio data within " + TIMEOUT);
      }
      return data;
    }

    /** Reads {@code length} bytes of one channel (data may arrive merged or split). */
    String read(StdioData.Channel channel, int length) throws InterruptedException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      while (bytes.size() < length) {
        StdioData data = next();
        assertEquals(channel, data.getChannel());
        bytes.writeBytes(data.getData().toByteArray());
      }
      return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void onNext(StdioData value) {
      received.add(value);
    }

    @Override
    public void onError(Throwable t) {
      ended.countDown();
    }

    @Override
    public void onCompleted() {
      ended.countDown();
    }
  }
}
