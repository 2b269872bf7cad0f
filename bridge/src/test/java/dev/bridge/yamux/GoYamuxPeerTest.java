package dev.bridge.yamux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * This package's server session against hashicorp/yamux (the implementation go-plugin uses) as the client:
 * {@code host/cmd/yamuxpeer}, built by host/build.sh. Skipped when that program is not built (mvn verify runs before
 * the Go build in tools/test.sh, which runs this class again afterwards).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GoYamuxPeerTest {
  private static final Path PEER = Path.of(System.getProperty("bridge.yamuxpeer", "../host/bin/yamuxpeer"));

  @Test
  void goClientAgainstJavaServer(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(PEER), PEER + " is not built (bash host/build.sh)");
    Path socket = dir.resolve("yamux.sock");
    ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      listener.bind(UnixDomainSocketAddress.of(socket));
      Process peer = new ProcessBuilder(PEER.toString(), socket.toString()).redirectErrorStream(true).start();
      SocketChannel connection = listener.accept();
      try (YamuxSession session = YamuxSession.server(connection, YamuxConfig.defaults())) {
        threads.submit(() -> {
          while (true) {
            YamuxStream stream = session.accept();
            threads.submit(() -> serve(session, stream));
          }
        });
        String output = new String(peer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(peer.waitFor(60, TimeUnit.SECONDS), "yamuxpeer did not end");
        assertEquals(0, peer.exitValue(), output);
        assertTrue(output.contains("yamuxpeer: ok"), output);
        assertEquals(List.of(), FAILURES);
      } finally {
        peer.destroyForcibly();
        threads.shutdownNow();
      }
    }
  }

  private static final List<String> FAILURES = new CopyOnWriteArrayList<>();

  private static Void serve(YamuxSession session, YamuxStream stream) throws IOException {
    int command = stream.input().read();
    switch (command) {
      case 'e' -> {
        int length = ByteBuffer.wrap(stream.input().readNBytes(4)).getInt();
        byte[] data = stream.input().readNBytes(length);
        stream.output().write(data);
        stream.close();
        // Half-closed: this side still reads what the peer sends until its FIN.
        String rest = new String(stream.input().readAllBytes(), StandardCharsets.UTF_8);
        if (data.length != length || !rest.equals("bye")) {
          FAILURES.add("stream " + stream.id() + ": read " + data.length + " of " + length + " bytes, then '" + rest
              + "' after half-closing (want 'bye')");
        }
        return null;
      }
      case 'r' -> {
        YamuxStream own = session.open();
        byte[] payload = new byte[300_000];
        Arrays.fill(payload, (byte) 'r');
        own.output().write(payload);
        own.close();
        ByteArrayOutputStream echo = new ByteArrayOutputStream();
        own.input().transferTo(echo);
        stream.output().write(Arrays.equals(payload, echo.toByteArray()) ? "ok".getBytes()
            : ("echo of " + echo.size() + " bytes differs").getBytes());
        session.ping(Duration.ofSeconds(30));
      }
      case 'g' -> {
        session.goAway(FrameHeader.GO_AWAY_NORMAL);
        stream.output().write("ok".getBytes());
      }
      default -> stream.output().write(("unknown command " + command).getBytes());
    }
    stream.close();
    return null;
  }
}
