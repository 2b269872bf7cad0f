package dev.bridge.plugin.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DynamicMessage;
import dev.bridge.plugin.internal.ConnInfo;
import dev.bridge.rpc.Broker;
import dev.bridge.rpc.BrokeredService;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.ClientCall;
import dev.bridge.rpc.ClientCallOptions;
import dev.bridge.rpc.RemoteChannel;
import dev.bridge.rpc.grpc.RecordingListener;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker against a fake host speaking go-plugin's StartStream, both ways, with and without AutoMTLS. */
class GrpcBrokerTest {
  @TempDir Path dir;

  GrpcBroker broker = new GrpcBroker();
  FakeHost host;

  @AfterEach
  void stop() throws Exception {
    if (host != null) {
      host.close();
    }
  }

  FakeHost host(boolean mtls) throws Exception {
    host = FakeHost.start(dir, mtls, broker);
    return host;
  }

  long add(RemoteChannel channel, long n) throws Exception {
    RecordingListener listener = new RecordingListener();
    ClientCall call = channel.start(host.calc.findMethodByName("Add"), ClientCallOptions.none(), listener);
    call.request(1);
    call.send(host.number(n));
    call.halfClose();
    RecordingListener.End end = listener.awaitEnd();
    if (end.failure() != null) {
      throw end.failure();
    }
    DynamicMessage response = listener.nextMessage();
    return (Long) response.getField(response.getDescriptorForType().findFieldByName("n"));
  }

  static CallFailure failureOf(CompletableFuture<?> future) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
    return assertInstanceOf(CallFailure.class, e.getCause());
  }

  @Test
  void anOfferThatCameBeforeTheDialIsUsed() throws Exception {
    host(false).offer(7, 100);
    // The offer travels on the stream; dialing right after it may still find it on its way, which is the point.
    RemoteChannel channel = broker.dial(7).get(10, TimeUnit.SECONDS);
    assertEquals(101, add(channel, 1));
  }

  @Test
  void aDialWaitsForAnOfferThatComesLater() throws Exception {
    host(false);
    CompletableFuture<RemoteChannel> dialing = broker.dial(8);
    Thread.sleep(300);
    assertFalse(dialing.isDone(), "no offer yet");
    host.offer(8, 200);
    assertEquals(202, add(dialing.get(10, TimeUnit.SECONDS), 2));
  }

  @Test
  void anIdTheHostNeverOfferedFailsClearlyWithinFiveSeconds() throws Exception {
    host(false);
    long started = System.nanoTime();
    CallFailure failure = failureOf(broker.dial(99));
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    assertEquals("UNAVAILABLE", failure.code());
    assertEquals("the host offered no connection under broker id 99 within 5 s", failure.getMessage());
    assertTrue(seconds >= 4 && seconds < 10, "took " + seconds + " s");
    // The broker keeps serving: a later offer is dialed as usual.
    host.offer(100, 1);
    assertEquals(2, add(broker.dial(100).get(10, TimeUnit.SECONDS), 1));
  }

  @Test
  void manyIdsAtOnceEachReachItsOwnService() throws Exception {
    host(false);
    List<CompletableFuture<RemoteChannel>> dials = new ArrayList<>();
    for (int id = 1; id <= 20; id++) {
      dials.add(broker.dial(id));
    }
    // Offered in reverse order, half of them before a second dial of the same id.
    for (int id = 20; id >= 1; id--) {
      host.offer(id, id * 1000L);
    }
    List<CompletableFuture<Long>> sums = new ArrayList<>();
    for (int i = 0; i < dials.size(); i++) {
      RemoteChannel channel = dials.get(i).get(10, TimeUnit.SECONDS);
      sums.add(CompletableFuture.supplyAsync(() -> {
        try {
          return add(channel, 5);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (int i = 0; i < sums.size(); i++) {
      assertEquals((i + 1) * 1000L + 5, sums.get(i).get(20, TimeUnit.SECONDS));
    }
    // A later dial of an offered id finds the offer again.
    assertEquals(3005, add(broker.dial(3).get(10, TimeUnit.SECONDS), 5));
    assertEquals(21, broker.openChannels());
  }

  @Test
  void aServedServiceIsAnnouncedAndTheHostCallsIt() throws Exception {
    host(false);
    BrokeredService service = broker.serve(List.of(host.calc), host.handlers(40)).get(10, TimeUnit.SECONDS);
    ConnInfo info = host.nextFromPlugin();
    assertEquals(service.id(), Integer.toUnsignedLong(info.getServiceId()));
    assertEquals("unix", info.getNetwork());
    assertTrue(info.getAddress().startsWith(dir.toString()), "listens where the main server does: " + info);
    ManagedChannel channel = host.dial(info.getAddress());
    assertEquals(42, host.callAdd(channel, 2));

    BrokeredService second = broker.serve(List.of(host.calc), host.handlers(50)).get(10, TimeUnit.SECONDS);
    assertEquals(service.id() + 1, second.id());
    assertEquals(second.id(), Integer.toUnsignedLong(host.nextFromPlugin().getServiceId()));

    service.close();
    assertFalse(Files.exists(Path.of(info.getAddress())), "the socket file is removed");
    assertThrows(StatusRuntimeException.class, () -> host.callAdd(host.dial(info.getAddress()), 2));
    assertEquals(1, broker.servedIds());
  }

  @Test
  void aServedSocketGoesToTheHostsGroupAsTheMainOneDoes() throws Exception {
    String group = Files.readAttributes(dir, java.nio.file.attribute.PosixFileAttributes.class).group().getName();
    host = FakeHost.start(dir, false, broker, java.util.Map.of("PLUGIN_UNIX_SOCKET_GROUP", group));
    broker.serve(List.of(host.calc), host.handlers(0)).get(10, TimeUnit.SECONDS);
    Path socket = Path.of(host.nextFromPlugin().getAddress());
    var attributes = Files.readAttributes(socket, java.nio.file.attribute.PosixFileAttributes.class);
    assertEquals(group, attributes.group().getName());
    assertEquals("rw-rw----", java.nio.file.attribute.PosixFilePermissions.toString(attributes.permissions()));
  }

  @Test
  void underAutoMtlsBothDirectionsUseTheHostsAndThePluginsCertificates() throws Exception {
    host(true).offer(3, 10);
    assertEquals(11, add(broker.dial(3).get(10, TimeUnit.SECONDS), 1));

    broker.serve(List.of(host.calc), host.handlers(20)).get(10, TimeUnit.SECONDS);
    ConnInfo info = host.nextFromPlugin();
    assertEquals(21, host.callAdd(host.dial(info.getAddress()), 1));
  }

  @Test
  void underAutoMtlsAServerWithAnotherCertificateIsNotTrusted() throws Exception {
    host(true);
    var server = host.listen(0, dev.bridge.plugin.SelfSignedCertificate.generate());
    host.send(ConnInfo.newBuilder().setServiceId(4).setNetwork("unix")
        .setAddress(((io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress) server.getListenSockets().get(0))
            .path()).build());
    RemoteChannel channel = broker.dial(4).get(10, TimeUnit.SECONDS);
    CallFailure failure = assertThrows(CallFailure.class, () -> add(channel, 1));
    assertEquals("UNAVAILABLE", failure.code());
    assertTrue(failure.getMessage().startsWith("broker id 4 (unix "), failure.getMessage());
  }

  @Test
  void anOfferOfAnUnknownNetworkFailsTheDialNamingIt() throws Exception {
    host(false).send(ConnInfo.newBuilder().setServiceId(5).setNetwork("pipe").setAddress("x").build());
    CallFailure failure = failureOf(broker.dial(5));
    assertEquals("UNAVAILABLE", failure.code());
    assertEquals("cannot dial broker id 5 (pipe x): unknown network 'pipe'", failure.getMessage());
  }

  @Test
  void idsOutOfRangeAreRefused() {
    CallFailure failure = failureOf(broker.dial(-1));
    assertEquals("INVALID_ARGUMENT", failure.code());
    assertEquals("broker id -1 is out of range: ids are 32-bit unsigned (0 to 4294967295)", failure.getMessage());
    assertEquals("INVALID_ARGUMENT", failureOf(broker.dial(1L << 32)).code());
  }

  @Test
  void theLargestIdTravelsAsUnsigned() throws Exception {
    host(false).offer(-1, 1);
    assertEquals(2, add(broker.dial(4294967295L).get(10, TimeUnit.SECONDS), 1));
  }

  @Test
  void shutdownClosesBrokeredServersAndChannelsAndFailsWaitingDials() throws Exception {
    host(false).offer(1, 0);
    RemoteChannel channel = broker.dial(1).get(10, TimeUnit.SECONDS);
    assertEquals(1, add(channel, 1));
    broker.serve(List.of(host.calc), host.handlers(0)).get(10, TimeUnit.SECONDS);
    String socket = host.nextFromPlugin().getAddress();
    CompletableFuture<RemoteChannel> waiting = broker.dial(77);

    long started = System.nanoTime();
    host.plugin.close();
    assertTrue(host.plugin.awaitTermination(Duration.ofSeconds(5)));
    assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) < 5, "a prompt stop");
    assertEquals(0, broker.openChannels());
    assertEquals(0, broker.servedIds());
    assertFalse(Files.exists(Path.of(socket)));
    assertEquals("UNAVAILABLE", failureOf(waiting).code());
    CallFailure closed = assertThrows(CallFailure.class, () -> add(channel, 1));
    assertEquals("UNAVAILABLE", closed.code());
    assertEquals("UNAVAILABLE", failureOf(broker.dial(2)).code());
    assertEquals("UNAVAILABLE", failureOf(broker.serve(List.of(host.calc), host.handlers(0))).code());
  }

  @Test
  void aServeBeforeTheServerIsUpWaitsForIt() throws Exception {
    Path proto = Files.writeString(dir.resolve("early.proto"), FakeHost.PROTO);
    var calc = new dev.bridge.schema.ProtoFileLoader().load(List.of(proto), List.of()).service("t.Calc").orElseThrow();
    CompletableFuture<BrokeredService> early = broker.serve(List.of(calc), new FakeHost.Handlerless());
    host(false);
    BrokeredService service = early.get(10, TimeUnit.SECONDS);
    assertEquals(service.id(), Integer.toUnsignedLong(host.nextFromPlugin().getServiceId()));
  }

  @Test
  void withoutAHostEverythingFailsWithTheReason() {
    Broker none = Broker.unavailable("no host here");
    CallFailure failure = failureOf(none.dial(1));
    assertEquals("FAILED_PRECONDITION", failure.code());
    assertEquals("no host here", failure.getMessage());
    assertEquals("FAILED_PRECONDITION", failureOf(none.serve(List.of(), null)).code());
  }
}
