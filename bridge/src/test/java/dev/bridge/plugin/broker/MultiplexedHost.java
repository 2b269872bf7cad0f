package dev.bridge.plugin.broker;

import dev.bridge.plugin.HandshakeLine;
import dev.bridge.plugin.PluginEnvironment;
import dev.bridge.plugin.PluginServer;
import dev.bridge.plugin.PluginServerOptions;
import dev.bridge.plugin.internal.ConnInfo;
import dev.bridge.plugin.mux.InJvmLoops;
import dev.bridge.plugin.mux.StreamDialer;
import dev.bridge.plugin.mux.StreamPipe;
import dev.bridge.yamux.YamuxConfig;
import dev.bridge.yamux.YamuxSession;
import dev.bridge.yamux.YamuxStream;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.local.LocalAddress;
import io.grpc.netty.shaded.io.netty.channel.local.LocalChannel;
import io.grpc.netty.shaded.io.netty.channel.local.LocalServerChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A go-plugin >= 1.6 host with {@code GRPCBrokerMultiplex}, as far as the broker goes, for the tests: it starts a
 * plugin server with a given broker and {@code PLUGIN_MULTIPLEX_GRPC=true}, runs the yamux client session on the one
 * connection, and does what go-plugin's {@code GRPCClientMuxer} and broker do: every gRPC connection is a stream;
 * a knock from the plugin for an id it offers is acknowledged and the plugin's next stream is served as that id
 * (or refused with the ack's error when it offers no such id); to dial what the plugin offers, it knocks, waits for
 * the ack and opens a stream. Plain text.
 */
final class MultiplexedHost implements AutoCloseable {
  final PluginServer plugin;
  final YamuxSession session;
  final FakeHost calcs;
  private final EventLoopGroup loops = InJvmLoops.create("test-mux-host");
  private final ManagedChannel main;
  private final ClientCall<ConnInfo, ConnInfo> stream;
  private final Map<Integer, LocalAddress> offered = new ConcurrentHashMap<>();
  private final Map<Integer, CompletableFuture<ConnInfo>> acks = new ConcurrentHashMap<>();
  private final java.util.concurrent.ExecutorService accepting =
      java.util.concurrent.Executors.newSingleThreadExecutor(Thread.ofVirtual().factory());
  private final List<AutoCloseable> closing = new ArrayList<>();
  volatile boolean silent;

  MultiplexedHost(Path dir, GrpcBroker broker, FakeHost calcs) throws Exception {
    this.calcs = calcs;
    Map<String, String> env = new HashMap<>();
    env.put(FakeHost.HANDSHAKE.magicCookieKey(), FakeHost.HANDSHAKE.magicCookieValue());
    env.put("PLUGIN_PROTOCOL_VERSIONS", "1");
    env.put("PLUGIN_UNIX_SOCKET_DIR", dir.toString());
    env.put("PLUGIN_MULTIPLEX_GRPC", "true");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    plugin = PluginServer.start(PluginEnvironment.read(FakeHost.HANDSHAKE, env), List.of(),
        new PrintStream(stdout, true, StandardCharsets.UTF_8),
        PluginServerOptions.defaults().withHandleSignals(false), broker);
    HandshakeLine line = HandshakeLine.parse(stdout.toString(StandardCharsets.UTF_8).strip());
    session = YamuxSession.client(SocketChannel.open(UnixDomainSocketAddress.of(line.address().address())),
        YamuxConfig.defaults().withKeepAlive(Duration.ZERO));
    main = channel(session::open);
    stream = main.newCall(BrokerStreamService.START_STREAM, CallOptions.DEFAULT);
    stream.start(new ClientCall.Listener<>() {
      @Override
      public void onMessage(ConnInfo message) {
        onBrokerMessage(message);
      }

      @Override
      public void onClose(Status status, Metadata trailers) {}
    }, new Metadata());
    stream.request(Integer.MAX_VALUE);
  }

  /** Serves Calc under {@code id} (go-plugin's Accept with a muxer: nothing is sent until the plugin knocks). */
  void offer(int id, long plus) throws IOException {
    LocalAddress address = InJvmLoops.freshAddress("test-host-" + id);
    Server server = NettyServerBuilder.forAddress(address).channelType(LocalServerChannel.class)
        .bossEventLoopGroup(loops).workerEventLoopGroup(loops).withChildOption(ChannelOption.SO_KEEPALIVE, null)
        .addService(calcs.calcService(plus)).build().start();
    closing.add(server::shutdownNow);
    offered.put(id, address);
  }

  /** A channel to what the plugin serves under {@code id}: knock, ack, stream, per connection. */
  ManagedChannel dialPlugin(int id) throws IOException {
    return channel(() -> {
      CompletableFuture<ConnInfo> ack = new CompletableFuture<>();
      acks.put(id, ack);
      send(ConnInfo.newBuilder().setServiceId(id).setKnock(ConnInfo.Knock.newBuilder().setKnock(true)).build());
      ConnInfo answer;
      try {
        answer = ack.get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IOException("no ack for id " + id, e);
      }
      if (!answer.getKnock().getAck() || !answer.getKnock().getError().isEmpty()) {
        throw new IOException("knock for " + id + " refused: " + answer);
      }
      return session.open();
    });
  }

  private ManagedChannel channel(StreamDialer.Opener opener) throws IOException {
    StreamDialer dialer = StreamDialer.start(loops, "test-mux-host", opener);
    ManagedChannel channel = NettyChannelBuilder.forAddress(dialer.address()).channelType(LocalChannel.class)
        .eventLoopGroup(loops).withOption(ChannelOption.SO_KEEPALIVE, null).usePlaintext().build();
    closing.add(() -> {
      channel.shutdownNow();
      dialer.close();
    });
    return channel;
  }

  private void onBrokerMessage(ConnInfo message) {
    if (!message.hasKnock() || !message.getKnock().getKnock()) {
      return;
    }
    int id = message.getServiceId();
    if (message.getKnock().getAck()) {
      CompletableFuture<ConnInfo> waiting = acks.remove(id);
      if (waiting != null) {
        waiting.complete(message);
      }
      return;
    }
    if (silent) {
      return;
    }
    LocalAddress target = offered.get(id);
    ConnInfo.Knock.Builder ack = ConnInfo.Knock.newBuilder().setKnock(true).setAck(true);
    if (target == null) {
      // go-plugin's client muxer: AcceptKnock fails, the ack carries the error.
      send(ConnInfo.newBuilder().setServiceId(id).setKnock(ack.setError("no listener for id " + id)).build());
      return;
    }
    send(ConnInfo.newBuilder().setServiceId(id).setKnock(ack).build());
    // The plugin opens its streams in the order of its knocks, so they are accepted in that order, one at a time:
    // a thread of its own per ack let a later ack's accept take an earlier id's stream.
    accepting.execute(() -> {
      try {
        YamuxStream next = session.accept();
        StreamPipe.connect(next, target, loops);
      } catch (IOException e) {
        // The session ended; the plugin's dial fails by itself.
      }
    });
  }

  private synchronized void send(ConnInfo info) {
    stream.sendMessage(info);
  }

  @Override
  public void close() throws Exception {
    stream.cancel("test over", null);
    for (AutoCloseable each : closing) {
      each.close();
    }
    plugin.close();
    session.close();
    accepting.shutdownNow();
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
