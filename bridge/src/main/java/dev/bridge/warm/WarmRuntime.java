package dev.bridge.warm;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The warm runtime: a per-user process that serves plugin instances for the small clients go-plugin hosts start
 * ({@code bridgejs-warm}), on one shared engine. It listens on {@code runtime-<build>.sock} in its
 * {@link RuntimeDirectory}, accepts only its own user (SO_PEERCRED), serves each connection on a thread of its own
 * ({@link ClientSession}), and leaves once it has had no connection for its idle time, or when told to stop. Once it
 * goes quiet after work it collects its heap ({@link QuietCollector}), which gives the memory the work took back.
 */
public final class WarmRuntime {
  static final Logger LOG = Logger.getLogger("dev.bridge.warm");

  private final Path socket;
  private final WarmBuild build;
  private final InstanceRunner runner;
  private final Duration idle;
  private final UserPrincipal self;
  private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();
  private final QuietCollector quietCollector = new QuietCollector();
  private final AtomicLong launches = new AtomicLong();
  private final Instant started = Instant.now();
  private volatile long idleSince = System.nanoTime();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean stopping;
  private ServerSocketChannel server;

  /**
   * @param dir the checked runtime directory ({@link RuntimeDirectory#prepare})
   * @param idle how long the runtime stays up with no connection
   */
  public WarmRuntime(Path dir, WarmBuild build, InstanceRunner runner, Duration idle) throws IOException {
    this.socket = build.socket(dir);
    this.build = build;
    this.runner = runner;
    this.idle = idle;
    this.self = Files.getOwner(dir);
  }

  /** Binds the socket; from now on clients connect. A stale socket file (a runtime that died) is replaced. */
  public void bind() throws IOException {
    // Clients hold the lock while one of them starts a runtime, so a socket here now is a dead runtime's.
    Files.deleteIfExists(socket);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    LOG.log(Level.INFO, "warm runtime listening", Map.of("socket", socket.toString(), "build", build.id(),
        "pid", ProcessHandle.current().pid(), "idle", idle.toString()));
  }

  /** Serves connections until stopped or idle for too long; then removes the socket. */
  public void serve() throws IOException, InterruptedException {
    Thread idleWatch = Thread.ofPlatform().daemon().name("warm-idle-watch").start(this::watchIdle);
    Thread collector = quietCollector.start();
    try {
      while (!stopping) {
        SocketChannel channel;
        try {
          channel = server.accept();
        } catch (ClosedChannelException e) {
          break; // stopped
        }
        if (!samePeer(channel)) {
          channel.close();
          continue;
        }
        ClientSession session = new ClientSession(this, channel);
        sessions.add(session);
        Thread.ofPlatform().name("warm-client-" + launches.incrementAndGet()).start(session);
      }
    } finally {
      idleWatch.interrupt();
      collector.interrupt();
      Files.deleteIfExists(socket);
      for (ClientSession session : sessions) {
        session.stop();
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (!sessions.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      LOG.log(Level.INFO, "warm runtime stopped", Map.of("instances_left", sessions.size()));
      stopped.countDown();
    }
  }

  /** Waits until {@link #serve} has ended its instances and returned, at most {@code timeout}. */
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops accepting; instances stop as on SIGTERM, and {@link #serve} returns once they ended (at most 5 s). */
  public void stop() {
    stopping = true;
    try {
      server.close();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "closing the runtime's socket: " + e.getMessage(), Map.of());
    }
  }

  private boolean samePeer(SocketChannel channel) {
    try {
      UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
      if (PeerCheck.allows(peer.user(), self)) {
        return true;
      }
      LOG.log(Level.WARNING, "refused a connection from another user", Map.of("user", peer.user().getName()));
    } catch (IOException | UnsupportedOperationException e) {
      LOG.log(Level.WARNING, "refused a connection whose user is unknown: " + e, Map.of());
    }
    return false;
  }

  private void watchIdle() {
    try {
      while (!stopping) {
        Thread.sleep(Math.min(1000, Math.max(10, idle.toMillis() / 4)));
        if (sessions.isEmpty() && System.nanoTime() - idleSince >= idle.toNanos()) {
          LOG.log(Level.INFO, "warm runtime idle; leaving", Map.of("idle", idle.toString()));
          stop();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** @param servedInstance whether the session ran a plugin instance (not a status or a stop) */
  void ended(ClientSession session, boolean servedInstance) {
    sessions.remove(session);
    idleSince = System.nanoTime();
    if (servedInstance) {
      quietCollector.instanceEnded();
    }
  }

  InstanceRunner runner() {
    return runner;
  }

  WarmBuild build() {
    return build;
  }

  /** What {@code bridgejs warm status} prints. */
  String status() {
    // The session asking is one of the sessions: it is not an instance.
    return "pid " + ProcessHandle.current().pid() + "\nbuild " + build.id() + "\nsocket " + socket
        + "\nstarted " + started + "\ninstances " + (sessions.size() - 1) + "\nlaunches " + launches.get()
        + "\nidle_exit " + idle + "\nheap_used_mb "
        + (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / (1024 * 1024) + "\n";
  }
}
