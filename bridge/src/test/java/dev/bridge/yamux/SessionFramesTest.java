package dev.bridge.yamux;

import static dev.bridge.yamux.FrameHeader.FLAG_ACK;
import static dev.bridge.yamux.FrameHeader.FLAG_FIN;
import static dev.bridge.yamux.FrameHeader.FLAG_RST;
import static dev.bridge.yamux.FrameHeader.FLAG_SYN;
import static dev.bridge.yamux.FrameHeader.TYPE_DATA;
import static dev.bridge.yamux.FrameHeader.TYPE_GO_AWAY;
import static dev.bridge.yamux.FrameHeader.TYPE_PING;
import static dev.bridge.yamux.FrameHeader.TYPE_WINDOW_UPDATE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A server session against a peer written frame by frame from spec.md. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionFramesTest {
  private static final int WINDOW = YamuxConfig.INITIAL_STREAM_WINDOW;

  private SocketPair sockets;
  private YamuxSession session;
  private RawPeer peer;

  @BeforeEach
  void start() throws IOException {
    sockets = SocketPair.open();
    session = YamuxSession.server(sockets.accepted(), YamuxConfig.defaults().withKeepAlive(Duration.ZERO));
    peer = new RawPeer(sockets.dialled());
  }

  @AfterEach
  void stop() throws IOException {
    session.close();
    sockets.close();
  }

  private YamuxStream openFromPeer(int id) throws IOException {
    peer.send(TYPE_WINDOW_UPDATE, FLAG_SYN, id, 0);
    YamuxStream stream = session.accept();
    assertEquals(id, stream.id());
    peer.expect(TYPE_WINDOW_UPDATE, FLAG_ACK, id, 0);
    return stream;
  }

  @Test
  void acceptAnswersSynWithAck() throws IOException {
    peer.send(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0);
    YamuxStream stream = session.accept();
    assertArrayEquals(new byte[] {0, 1, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0}, peer.nextHeaderBytes());
    assertEquals(1, stream.id());
  }

  @Test
  void aDataFrameMayOpenTheStream() throws IOException {
    peer.sendData(FLAG_SYN, 1, "hello".getBytes());
    YamuxStream stream = session.accept();
    assertArrayEquals("hello".getBytes(), stream.input().readNBytes(5));
  }

  @Test
  void dataBothWays() throws IOException {
    YamuxStream stream = openFromPeer(1);
    peer.sendData(0, 1, "ping".getBytes());
    assertArrayEquals("ping".getBytes(), stream.input().readNBytes(4));
    stream.output().write("pong!".getBytes());
    peer.expect(TYPE_DATA, 0, 1, 5);
    assertArrayEquals("pong!".getBytes(), peer.readBytes(5));
  }

  @Test
  void serverOpensEvenStreamsWithSyn() throws IOException {
    assertEquals(2, session.open().id());
    peer.expect(TYPE_WINDOW_UPDATE, FLAG_SYN, 2, 0);
    assertEquals(4, session.open().id());
    peer.expect(TYPE_WINDOW_UPDATE, FLAG_SYN, 4, 0);
  }

  @Test
  void writesStopAtThePeersWindowUntilItIsUpdated() throws Exception {
    YamuxStream stream = openFromPeer(1);
    byte[] payload = new byte[WINDOW + 50_000];
    Arrays.fill(payload, (byte) 7);
    CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
      try {
        stream.write(payload, 0, payload.length);
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    int received = 0;
    while (received < WINDOW) {
      FrameHeader frame = peer.next();
      assertEquals(TYPE_DATA, frame.type());
      peer.readBytes(frame.length());
      received += frame.length();
    }
    assertEquals(WINDOW, received);
    // Nothing more may come before the window opens: the next frame is the answer to this ping.
    peer.send(TYPE_PING, FLAG_SYN, 0, 99);
    peer.expect(TYPE_PING, FLAG_ACK, 0, 99);
    peer.send(TYPE_WINDOW_UPDATE, 0, 1, 50_000);
    FrameHeader rest = peer.next();
    assertEquals(new FrameHeader(TYPE_DATA, 0, 1, 50_000), rest);
    peer.readBytes(50_000);
    writing.get(30, TimeUnit.SECONDS);
  }

  @Test
  void readingHalfTheWindowReopensIt() throws IOException {
    YamuxStream stream = openFromPeer(1);
    peer.sendData(0, 1, new byte[WINDOW]);
    stream.input().readNBytes(WINDOW / 2);
    peer.expect(TYPE_WINDOW_UPDATE, 0, 1, WINDOW / 2);
    stream.input().readNBytes(WINDOW / 2);
    peer.expect(TYPE_WINDOW_UPDATE, 0, 1, WINDOW / 2);
  }

  @Test
  void dataBeyondTheWindowIsAProtocolError() throws Exception {
    openFromPeer(1);
    peer.sendData(0, 1, new byte[WINDOW]);
    peer.sendData(0, 1, new byte[1]);
    peer.expect(TYPE_GO_AWAY, 0, 0, FrameHeader.GO_AWAY_PROTOCOL_ERROR);
    assertTrue(session.closed().get(30, TimeUnit.SECONDS) instanceof YamuxProtocolException);
    assertTrue(peer.atEnd());
  }

  @Test
  void halfCloseEachWay() throws IOException {
    YamuxStream stream = openFromPeer(1);
    peer.sendData(FLAG_FIN, 1, "last".getBytes());
    assertArrayEquals("last".getBytes(), stream.input().readAllBytes());
    assertEquals(-1, stream.input().read());
    stream.output().write("still".getBytes());
    peer.expect(TYPE_DATA, 0, 1, 5);
    peer.readBytes(5);
    stream.close();
    peer.expect(TYPE_WINDOW_UPDATE, FLAG_FIN, 1, 0);
    assertEquals(0, session.streamCount());
    assertThrows(IOException.class, () -> stream.output().write(1));
  }

  @Test
  void localHalfCloseStillReads() throws IOException {
    YamuxStream stream = openFromPeer(1);
    stream.close();
    peer.expect(TYPE_WINDOW_UPDATE, FLAG_FIN, 1, 0);
    peer.sendData(0, 1, "after".getBytes());
    assertArrayEquals("after".getBytes(), stream.input().readNBytes(5));
    assertEquals(1, session.streamCount());
    peer.send(TYPE_WINDOW_UPDATE, FLAG_FIN, 1, 0);
    assertEquals(-1, stream.input().read());
    assertEquals(0, session.streamCount());
  }

  @Test
  void resetFailsReadsAndWrites() throws IOException {
    YamuxStream stream = openFromPeer(1);
    peer.send(TYPE_WINDOW_UPDATE, FLAG_RST, 1, 0);
    IOException failure = assertThrows(IOException.class, () -> stream.input().read());
    assertTrue(failure.getMessage().contains("reset"), failure.getMessage());
    assertThrows(IOException.class, () -> stream.output().write(1));
    assertEquals(0, session.streamCount());
  }

  @Test
  void localResetSendsRst() throws IOException {
    YamuxStream stream = openFromPeer(1);
    stream.reset();
    peer.expect(TYPE_WINDOW_UPDATE, FLAG_RST, 1, 0);
    // Data still in flight for it is dropped, and the session goes on.
    peer.sendData(0, 1, "late".getBytes());
    openFromPeer(3);
  }

  @Test
  void pingsAreAnsweredAndMeasured() throws Exception {
    peer.send(TYPE_PING, FLAG_SYN, 0, 0xCAFE);
    peer.expect(TYPE_PING, FLAG_ACK, 0, 0xCAFE);
    CompletableFuture<Duration> rtt = CompletableFuture.supplyAsync(() -> {
      try {
        return session.ping(Duration.ofSeconds(30));
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    FrameHeader ping = peer.next();
    assertEquals(TYPE_PING, ping.type());
    assertEquals(FLAG_SYN, ping.flags());
    assertEquals(0, ping.streamId());
    peer.send(TYPE_PING, FLAG_ACK, 0, ping.length());
    assertTrue(!rtt.get(30, TimeUnit.SECONDS).isNegative());
  }

  @Test
  void anUnansweredKeepAliveEndsTheSession() throws Exception {
    try (SocketPair pair = SocketPair.open();
        YamuxSession pinging = YamuxSession.server(pair.accepted(),
            new YamuxConfig(256, Duration.ofMillis(100), Duration.ofMillis(300)))) {
      RawPeer silent = new RawPeer(pair.dialled());
      FrameHeader ping = silent.next();
      assertEquals(TYPE_PING, ping.type());
      assertEquals(FLAG_SYN, ping.flags());
      IOException reason = pinging.closed().get(30, TimeUnit.SECONDS);
      assertTrue(reason.getMessage().contains("keep-alive"), reason.getMessage());
    }
  }

  @Test
  void answeredKeepAlivesKeepTheSession() throws Exception {
    try (SocketPair pair = SocketPair.open();
        YamuxSession pinging = YamuxSession.server(pair.accepted(),
            new YamuxConfig(256, Duration.ofMillis(50), Duration.ofSeconds(20)))) {
      RawPeer answering = new RawPeer(pair.dialled());
      for (int i = 0; i < 3; i++) {
        FrameHeader ping = answering.next();
        answering.send(TYPE_PING, FLAG_ACK, 0, ping.length());
      }
      assertTrue(!pinging.isClosed());
    }
  }

  @Test
  void afterItsGoAwayTheSessionResetsNewStreams() throws IOException {
    YamuxStream open = openFromPeer(1);
    session.goAway(FrameHeader.GO_AWAY_NORMAL);
    peer.expect(TYPE_GO_AWAY, 0, 0, FrameHeader.GO_AWAY_NORMAL);
    peer.send(TYPE_WINDOW_UPDATE, FLAG_SYN, 3, 0);
    peer.expect(TYPE_WINDOW_UPDATE, FLAG_RST, 3, 0);
    // Streams already open go on.
    peer.sendData(0, 1, "x".getBytes());
    assertEquals('x', open.input().read());
  }

  @Test
  void afterThePeersGoAwayNoStreamOpens() throws Exception {
    peer.send(TYPE_GO_AWAY, 0, 0, FrameHeader.GO_AWAY_NORMAL);
    // The ping's answer shows the go-away was read before it.
    peer.send(TYPE_PING, FLAG_SYN, 0, 1);
    peer.expect(TYPE_PING, FLAG_ACK, 0, 1);
    assertTrue(session.remoteGoAway());
    IOException refused = assertThrows(IOException.class, session::open);
    assertTrue(refused.getMessage().contains("go-away"), refused.getMessage());
  }

  @Test
  void anotherVersionEndsTheSessionWithAProtocolError() throws Exception {
    peer.sendBytes(new byte[] {1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0});
    peer.expect(TYPE_GO_AWAY, 0, 0, FrameHeader.GO_AWAY_PROTOCOL_ERROR);
    assertTrue(session.closed().get(30, TimeUnit.SECONDS) instanceof YamuxProtocolException);
  }

  @Test
  void aSynOfTheWrongParityIsAProtocolError() throws Exception {
    peer.send(TYPE_WINDOW_UPDATE, FLAG_SYN, 2, 0);
    peer.expect(TYPE_GO_AWAY, 0, 0, FrameHeader.GO_AWAY_PROTOCOL_ERROR);
    session.closed().get(30, TimeUnit.SECONDS);
  }

  @Test
  void theConnectionEndingFailsStreamsAndAccept() throws Exception {
    YamuxStream stream = openFromPeer(1);
    sockets.dialled().close();
    session.closed().get(30, TimeUnit.SECONDS);
    assertThrows(IOException.class, () -> stream.input().read());
    assertThrows(IOException.class, session::accept);
    assertThrows(IOException.class, session::open);
  }
}
