package dev.bridge.warm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bridge.cache.Uid;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class WarmRuntimeTest {
  private static final WarmBuild BUILD = new WarmBuild("00000000000000aa");

  @TempDir Path temp;
  private WarmRuntime runtime;
  private CompletableFuture<Void> served;
  private final CountDownLatch stopped = new CountDownLatch(1);

  /** An instance that prints a handshake and a log line, then serves until asked to stop. */
  private final InstanceRunner plugin = launch -> {
    launch.stdout().write(("1|1|unix|" + launch.request().cwd() + "|grpc|\n").getBytes(StandardCharsets.UTF_8));
    launch.stderr().write(("env " + launch.request().env().get("PLUGIN_X") + "\n").getBytes(StandardCharsets.UTF_8));
    launch.stopRequested().join();
    stopped.countDown();
    return 0;
  };

  private Path start(InstanceRunner runner, Duration idle) throws IOException {
    Path dir = RuntimeDirectory.prepare(temp.resolve("bridge"), Uid.effective());
    runtime = new WarmRuntime(dir, BUILD, runner, idle);
    runtime.bind();
    served = CompletableFuture.runAsync(() -> {
      try {
        runtime.serve();
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    return BUILD.socket(dir);
  }

  @AfterEach
  void stop() {
    if (runtime != null) {
      runtime.stop();
      served.join();
    }
  }

  private static SocketChannel connect(Path socket) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    channel.connect(UnixDomainSocketAddress.of(socket));
    return channel;
  }

  private static Frame hello(String buildId) {
    return new Frame(Frame.Type.HELLO, new LaunchRequest(buildId, Path.of("/work"), List.of("kv.js"),
        Map.of("PLUGIN_X", "from-the-client")).encode());
  }

  @Test
  void anInstanceGetsTheClientsLaunchAndEndsWithItsSignal() throws IOException {
    Path socket = start(plugin, Duration.ofMinutes(1));
    try (SocketChannel channel = connect(socket)) {
      hello(BUILD.id()).writeTo(ChannelStreams.output(channel));
      InputStream in = ChannelStreams.input(channel);
      assertEquals(Frame.text(Frame.Type.STDOUT, "1|1|unix|/work|grpc|\n"), Frame.readFrom(in));
      assertEquals(Frame.text(Frame.Type.STDERR, "env from-the-client\n"), Frame.readFrom(in));
      Frame.text(Frame.Type.SIGNAL, "TERM").writeTo(ChannelStreams.output(channel));
      assertEquals(ClientSession.EXIT_TERMINATED, Frame.readFrom(in).exitCode(), "as a JVM ends on SIGTERM");
    }
  }

  @Test
  void aClientGoneEndsItsInstance() throws IOException, InterruptedException {
    Path socket = start(plugin, Duration.ofMinutes(1));
    try (SocketChannel channel = connect(socket)) {
      hello(BUILD.id()).writeTo(ChannelStreams.output(channel));
      Frame.readFrom(ChannelStreams.input(channel));
      Frame.readFrom(ChannelStreams.input(channel));
    }
    assertTrue(stopped.await(10, TimeUnit.SECONDS), "the instance was told to stop");
  }

  @Test
  void aClientOfAnotherBuildIsRefused() throws IOException {
    Path socket = start(plugin, Duration.ofMinutes(1));
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    assertEquals(1, WarmConnection.exchange(socket, hello("00000000000000bb"), out, err));
    assertEquals("", out.toString(StandardCharsets.UTF_8));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains(
        "this warm runtime runs build 00000000000000aa, the client is of build 00000000000000bb"), err.toString());
  }

  @Test
  void statusCountsInstancesAndStopEndsThemAndTheRuntime() throws IOException {
    Path socket = start(plugin, Duration.ofMinutes(1));
    try (SocketChannel channel = connect(socket)) {
      hello(BUILD.id()).writeTo(ChannelStreams.output(channel));
      Frame.readFrom(ChannelStreams.input(channel));
      Frame.readFrom(ChannelStreams.input(channel));
      var out = new ByteArrayOutputStream();
      assertEquals(0, WarmConnection.exchange(socket, new Frame(Frame.Type.STATUS, new byte[0]), out, out));
      String status = out.toString(StandardCharsets.UTF_8);
      assertTrue(status.contains("instances 1\n") && status.contains("build 00000000000000aa"), status);

      assertEquals(0, WarmConnection.exchange(socket, new Frame(Frame.Type.STOP, new byte[0]), out, out));
      served.join();
      InputStream in = ChannelStreams.input(channel);
      Frame last = Frame.readFrom(in);
      while (last.type() != Frame.Type.EXIT) {
        last = Frame.readFrom(in);
      }
      assertEquals(ClientSession.EXIT_TERMINATED, last.exitCode(), "its instance ended as on SIGTERM");
    }
    assertFalse(Files.exists(socket), "the socket is removed");
  }

  @Test
  void theRuntimeLeavesWhenIdle() throws IOException {
    Path socket = start(plugin, Duration.ofMillis(300));
    served.orTimeout(10, TimeUnit.SECONDS).join();
    assertFalse(Files.exists(socket));
  }

  @Test
  void aFailingInstanceEndsItsClientNotTheRuntime() throws IOException {
    Path socket = start(launch -> {
      throw new IllegalStateException("a bug");
    }, Duration.ofMinutes(1));
    var err = new ByteArrayOutputStream();
    assertEquals(1, WarmConnection.exchange(socket, hello(BUILD.id()), new ByteArrayOutputStream(), err));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("failed serving this plugin: java.lang.IllegalStateException: a bug"),
        err.toString());
    var out = new ByteArrayOutputStream();
    assertEquals(0, WarmConnection.exchange(socket, new Frame(Frame.Type.STATUS, new byte[0]), out, out));
  }
}
