package dev.bridge.plugin.broker;

import dev.bridge.plugin.InternalServiceSchema;
import dev.bridge.plugin.internal.ConnInfo;
import dev.bridge.plugin.internal.GrpcBroker;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code plugin.GRPCBroker/StartStream}, go-plugin's {@code gRPCBrokerServer}: the host opens this stream when it
 * connects, and both sides send {@link ConnInfo} on it (offers of connections, and knocks when multiplexing). What the
 * host sends goes to {@code inbound}; {@link #send} writes on the newest open stream, waiting for the host to open one.
 */
public final class BrokerStreamService {
  public static final String SERVICE = "plugin.GRPCBroker";

  public static final MethodDescriptor<ConnInfo, ConnInfo> START_STREAM =
      MethodDescriptor.<ConnInfo, ConnInfo>newBuilder()
          .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
          .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "StartStream"))
          .setRequestMarshaller(ProtoUtils.marshaller(ConnInfo.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(ConnInfo.getDefaultInstance()))
          .build();

  private static final Logger LOG = Logger.getLogger(BrokerStreamService.class.getName());

  private final Consumer<ConnInfo> inbound;
  /** Open streams, newest last; guarded by this. */
  private final Deque<ServerCallStreamObserver<ConnInfo>> open = new ArrayDeque<>();
  /** Completes when a stream is open; replaced by a fresh one when the last stream ends. Guarded by this. */
  private CompletableFuture<Void> opened = new CompletableFuture<>();
  private boolean closed;

  /** @param inbound receives each ConnInfo the host sends, one at a time */
  public BrokerStreamService(Consumer<ConnInfo> inbound) {
    this.inbound = Objects.requireNonNull(inbound, "inbound");
  }

  public ServerServiceDefinition definition() {
    return ServerServiceDefinition.builder(InternalServiceSchema.describe(SERVICE,
            new InternalServiceSchema(GrpcBroker::getDescriptor, "GRPCBroker"), START_STREAM))
        .addMethod(START_STREAM, ServerCalls.asyncBidiStreamingCall(this::startStream))
        .build();
  }

  /** Completes once the host has a broker stream open (at once if it has). */
  public synchronized CompletableFuture<Void> whenOpen() {
    return opened.copy();
  }

  /**
   * Sends {@code info} to the host on its newest stream.
   *
   * @throws IllegalStateException when no stream is open (see {@link #whenOpen()}) or it ended meanwhile
   */
  public synchronized void send(ConnInfo info) {
    ServerCallStreamObserver<ConnInfo> stream = open.peekLast();
    if (stream == null) {
      throw new IllegalStateException(closed
          ? "the broker is closed"
          : "the host has no broker stream (" + START_STREAM.getFullMethodName() + ") open");
    }
    try {
      stream.onNext(info);
    } catch (RuntimeException e) {
      // The host went away between our check and the write (grpc reports a cancelled stream this way).
      throw new IllegalStateException("the host's broker stream ended: " + e.getMessage(), e);
    }
  }

  /** Ends every open stream, so that a graceful server shutdown is not held up by them; later sends fail. */
  public void closeAll() {
    Deque<ServerCallStreamObserver<ConnInfo>> ending;
    synchronized (this) {
      closed = true;
      ending = new ArrayDeque<>(open);
      open.clear();
    }
    for (ServerCallStreamObserver<ConnInfo> stream : ending) {
      if (!stream.isCancelled()) {
        try {
          stream.onCompleted();
        } catch (RuntimeException e) {
          LOG.log(Level.FINE, "broker stream already ended", Map.of("error", String.valueOf(e)));
        }
      }
    }
  }

  public synchronized int openStreams() {
    return open.size();
  }

  private StreamObserver<ConnInfo> startStream(StreamObserver<ConnInfo> responses) {
    ServerCallStreamObserver<ConnInfo> stream = (ServerCallStreamObserver<ConnInfo>) responses;
    synchronized (this) {
      if (closed) {
        stream.onCompleted();
        return new Ignoring();
      }
      open.addLast(stream);
      opened.complete(null);
    }
    stream.setOnCancelHandler(() -> ended(stream));
    LOG.log(Level.FINE, "the host opened the broker stream", Map.of());
    return new StreamObserver<>() {
      @Override
      public void onNext(ConnInfo info) {
        try {
          inbound.accept(info);
        } catch (RuntimeException e) {
          // One bad message must not end the stream every other offer travels on.
          LOG.log(Level.WARNING, "could not handle a broker message", Map.of(
              "service_id", Integer.toUnsignedLong(info.getServiceId()), "error", String.valueOf(e)));
        }
      }

      @Override
      public void onError(Throwable t) {
        ended(stream);
      }

      @Override
      public void onCompleted() {
        if (ended(stream)) {
          stream.onCompleted();
        }
      }
    };
  }

  /** Forgets an ended stream; true when it was still open. */
  private synchronized boolean ended(ServerCallStreamObserver<ConnInfo> stream) {
    boolean removed = open.remove(stream);
    if (removed && open.isEmpty() && opened.isDone()) {
      opened = new CompletableFuture<>();
    }
    return removed;
  }

  private static final class Ignoring implements StreamObserver<ConnInfo> {
    @Override
    public void onNext(ConnInfo value) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
