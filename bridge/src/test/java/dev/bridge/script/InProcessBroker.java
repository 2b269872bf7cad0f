package dev.bridge.script;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.bridge.rpc.Broker;
import dev.bridge.rpc.BrokeredService;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.Handlers;
import dev.bridge.rpc.RemoteChannel;
import dev.bridge.rpc.grpc.DynamicService;
import dev.bridge.rpc.grpc.GrpcRemoteChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A broker for tests, in one process over grpc-java's in-process transport: what the "host" offers
 * ({@link #offer}) and what the script serves share one id space; a dial of an id nobody offers fails at once
 * as the real one does after its 5 s.
 */
final class InProcessBroker implements Broker, AutoCloseable {
  private final AtomicLong nextId = new AtomicLong(100);
  private final Map<Long, String> servers = new ConcurrentHashMap<>();
  private final Map<Long, Server> running = new ConcurrentHashMap<>();
  final List<GrpcRemoteChannel> dialed = new CopyOnWriteArrayList<>();

  /** The host offers {@code services} under a new id, served by {@code handlers}. */
  long offer(List<ServiceDescriptor> services, Handlers handlers) throws IOException {
    long id = nextId.getAndIncrement();
    start(id, services, handlers);
    return id;
  }

  private void start(long id, List<ServiceDescriptor> services, Handlers handlers) throws IOException {
    String name = InProcessServerBuilder.generateName();
    var builder = InProcessServerBuilder.forName(name);
    services.forEach(service -> builder.addService(DynamicService.bind(service, handlers)));
    running.put(id, builder.build().start());
    servers.put(id, name);
  }

  /** A client of whatever is served under {@code id} (as the host's {@code broker.Dial}). */
  GrpcRemoteChannel channel(long id) {
    String name = servers.get(id);
    if (name == null) {
      throw new IllegalStateException("nothing served under " + id);
    }
    return new GrpcRemoteChannel(InProcessChannelBuilder.forName(name).build(), "broker id " + id);
  }

  boolean serving(long id) {
    return servers.containsKey(id);
  }

  @Override
  public CompletableFuture<RemoteChannel> dial(long id) {
    if (!servers.containsKey(id)) {
      return CompletableFuture.failedFuture(new CallFailure("UNAVAILABLE",
          "the host offered no connection under broker id " + id + " within 5 s"));
    }
    GrpcRemoteChannel channel = channel(id);
    dialed.add(channel);
    return CompletableFuture.completedFuture(channel);
  }

  @Override
  public CompletableFuture<BrokeredService> serve(List<ServiceDescriptor> services, Handlers handlers) {
    long id = nextId.getAndIncrement();
    try {
      start(id, services, handlers);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    return CompletableFuture.completedFuture(new BrokeredService() {
      @Override
      public long id() {
        return id;
      }

      @Override
      public void close() {
        servers.remove(id);
        Server server = running.remove(id);
        if (server != null) {
          server.shutdownNow();
        }
      }
    });
  }

  @Override
  public void close() {
    dialed.forEach(GrpcRemoteChannel::close);
    running.values().forEach(Server::shutdownNow);
  }
}
