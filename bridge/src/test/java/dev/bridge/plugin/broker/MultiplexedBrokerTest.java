package dev.bridge.plugin.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bridge.rpc.BrokeredService;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.RemoteChannel;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The broker over one yamux session, against a host doing what go-plugin's grpcmux does (knock/ack both ways). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MultiplexedBrokerTest {
  @TempDir Path dir;

  GrpcBroker broker = new GrpcBroker();
  FakeHost calcs;
  MultiplexedHost host;

  @BeforeEach
  void start() throws Exception {
    // A plain host only for its Calc schema and handlers; the one under test is the multiplexed one.
    calcs = FakeHost.start(Files.createDirectory(dir.resolve("plain")), false, new GrpcBroker());
    host = new MultiplexedHost(dir, broker, calcs);
  }

  @AfterEach
  void stop() throws Exception {
    host.close();
    calcs.close();
  }

  /** A call of Add through a RemoteChannel, as GrpcBrokerTest makes it. */
  long add(RemoteChannel channel, long n) throws Exception {
    GrpcBrokerTest calls = new GrpcBrokerTest();
    calls.host = calcs;
    return calls.add(channel, n);
  }

  static CallFailure failureOf(CompletableFuture<?> future) {
    return GrpcBrokerTest.failureOf(future);
  }

  @Test
  void brokeredCallsBothWaysShareTheOneSessionWithTheMainConnection() throws Exception {
    host.offer(5, 100);
    RemoteChannel toHost = broker.dial(5).get(30, TimeUnit.SECONDS);
    assertEquals(101, add(toHost, 1));

    BrokeredService served = broker.serve(List.of(calcs.calc), calcs.handlers(40)).get(10, TimeUnit.SECONDS);
    ManagedChannel toPlugin = host.dialPlugin((int) served.id());
    assertEquals(42, calcs.callAdd(toPlugin, 2));
    assertEquals(47, calcs.callAdd(toPlugin, 7));

    // The main connection, the host-offered one and the plugin-offered one: three streams of one session.
    assertTrue(host.session.streamCount() >= 3, "streams: " + host.session.streamCount());
    host.session.ping(java.time.Duration.ofSeconds(10));
  }

  @Test
  void manyIdsAtOnceEachReachTheirOwnService() throws Exception {
    List<CompletableFuture<RemoteChannel>> dials = new ArrayList<>();
    for (int id = 1; id <= 12; id++) {
      host.offer(id, id * 1000L);
    }
    for (int id = 1; id <= 12; id++) {
      dials.add(broker.dial(id));
    }
    for (int i = 0; i < dials.size(); i++) {
      assertEquals((i + 1) * 1000L + 5, add(dials.get(i).get(30, TimeUnit.SECONDS), 5));
    }
  }

  @Test
  void anIdTheHostDoesNotServeIsRefusedClearly() throws Exception {
    CallFailure failure = failureOf(broker.dial(9));
    assertEquals("UNAVAILABLE", failure.code());
    assertEquals("the host refused broker id 9: no listener for id 9", failure.getMessage());
    // And the broker goes on.
    host.offer(10, 1);
    assertEquals(2, add(broker.dial(10).get(30, TimeUnit.SECONDS), 1));
  }

  @Test
  void aHostThatNeverAcknowledgesFailsTheDialWithinTheTimeLimit() throws Exception {
    host.silent = true;
    CallFailure failure = failureOf(broker.dial(11));
    assertEquals("UNAVAILABLE", failure.code());
    assertEquals("the host offered no connection under broker id 11 within 5 s (it did not acknowledge the knock)",
        failure.getMessage());
  }
}
