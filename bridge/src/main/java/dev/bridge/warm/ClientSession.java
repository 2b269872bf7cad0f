package dev.bridge.warm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;

/**
 * One client's connection: its first frame says what it wants (serve a plugin, the runtime's status, a stop); a
 * plugin instance then runs on this thread while another reads the client's signals, and the session ends with the
 * exit frame. The client's end of the connection ends the instance as SIGTERM would; the host is gone by then.
 */
final class ClientSession implements Runnable {
  /** What a JVM exits with on SIGTERM, as a plugin started directly would. */
  static final int EXIT_TERMINATED = 128 + 15;

  private final WarmRuntime runtime;
  private final SocketChannel channel;
  private final FrameWriter writer;
  private final CompletableFuture<Void> stopRequested = new CompletableFuture<>();
  private volatile boolean terminated;
  private boolean servedInstance;

  ClientSession(WarmRuntime runtime, SocketChannel channel) {
    this.runtime = runtime;
    this.channel = channel;
    this.writer = new FrameWriter(ChannelStreams.output(channel));
  }

  /** Ends the instance as SIGTERM would. */
  void stop() {
    terminated = true;
    stopRequested.complete(null);
  }

  @Override
  public void run() {
    try (InstanceLogs.Route route = InstanceLogs.open()) {
      InputStream in = ChannelStreams.input(channel);
      Frame first = Frame.readFrom(in);
      if (first == null) {
        return;
      }
      switch (first.type()) {
        case HELLO -> serve(LaunchRequest.decode(first.payload()), in);
        case STATUS -> finish(runtime.status(), 0);
        case STOP -> {
          finish("stopping the warm runtime " + ProcessHandle.current().pid() + "\n", 0);
          runtime.stop();
        }
        default -> throw new IOException("a " + first.type() + " frame first; a client starts with a hello");
      }
    } catch (IOException e) {
      WarmRuntime.LOG.log(Level.WARNING, "a client's connection failed: " + e.getMessage(), Map.of());
      tryExit(1, "bridgejs: the warm runtime could not serve this client: " + e.getMessage() + "\n");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      WarmRuntime.LOG.log(Level.SEVERE, "a plugin instance failed: " + e, e);
      tryExit(1, "bridgejs: the warm runtime failed serving this plugin: " + e + "\n");
    } finally {
      try {
        channel.close();
      } catch (IOException e) {
        WarmRuntime.LOG.log(Level.FINE, "closing a client's connection: " + e.getMessage(), Map.of());
      }
      runtime.ended(this, servedInstance);
    }
  }

  private void serve(LaunchRequest request, InputStream in) throws IOException, InterruptedException {
    if (!request.buildId().equals(runtime.build().id())) {
      finish("", 1, "bridgejs: this warm runtime runs build " + runtime.build().id() + ", the client is of build "
          + request.buildId() + "\n");
      return;
    }
    servedInstance = true;
    Thread.ofPlatform().daemon().name(Thread.currentThread().getName() + "-signals").start(() -> readSignals(in));
    var launch = new InstanceLaunch(request, new FrameOutputStream(Frame.Type.STDOUT, writer),
        new FrameOutputStream(Frame.Type.STDERR, writer), stopRequested);
    int code = runtime.runner().run(launch);
    tryExit(terminated ? EXIT_TERMINATED : code, "");
  }

  private void readSignals(InputStream in) {
    try {
      Frame frame;
      while ((frame = Frame.readFrom(in)) != null) {
        if (frame.type() == Frame.Type.SIGNAL) {
          WarmRuntime.LOG.log(Level.FINE, "the client got a signal", Map.of("signal", frame.text()));
          stop();
        }
      }
    } catch (IOException e) {
      WarmRuntime.LOG.log(Level.FINE, "a client's connection broke: " + e, Map.of());
    }
    // The client is gone (the host killed it): nobody reads this instance any more.
    stopRequested.complete(null);
  }

  private void finish(String stdout, int code) throws IOException {
    finish(stdout, code, "");
  }

  private void finish(String stdout, int code, String stderr) throws IOException {
    if (!stdout.isEmpty()) {
      writer.write(Frame.text(Frame.Type.STDOUT, stdout));
    }
    if (!stderr.isEmpty()) {
      writer.write(Frame.text(Frame.Type.STDERR, stderr));
    }
    writer.write(Frame.exit(code));
  }

  private void tryExit(int code, String stderr) {
    try {
      finish("", code, stderr);
    } catch (IOException e) {
      // The client is gone; it had nobody to tell.
      WarmRuntime.LOG.log(Level.FINE, "the client left before its exit code", Map.of());
    }
  }
}
