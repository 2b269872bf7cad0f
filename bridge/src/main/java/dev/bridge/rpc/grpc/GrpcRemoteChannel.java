package dev.bridge.rpc.grpc;

import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.ClientCall;
import dev.bridge.rpc.ClientCallOptions;
import dev.bridge.rpc.ClientListener;
import dev.bridge.rpc.RemoteChannel;
import io.grpc.CallOptions;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link RemoteChannel} over a grpc-java {@link ManagedChannel}, which it owns: requests and responses travel as
 * {@link DynamicMessage}s marshalled by the method's own descriptors ({@link DynamicMethods#describe}), a failure
 * arrives as a {@code CallFailure} with the {@code google.rpc.Status} details the server sent.
 */
public final class GrpcRemoteChannel implements RemoteChannel {
  private final ManagedChannel channel;
  private final String description;
  private final Runnable onClose;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Map<Descriptors.MethodDescriptor, MethodDescriptor<DynamicMessage, DynamicMessage>> methods =
      new ConcurrentHashMap<>();

  /**
   * @param channel the connection, closed with this
   * @param description what it connects to, for the messages of transport failures ("broker id 3 (unix
   *     /tmp/plugin1)")
   * @param onClose runs once when this is closed (its owner forgets it)
   */
  public GrpcRemoteChannel(ManagedChannel channel, String description, Runnable onClose) {
    this.channel = Objects.requireNonNull(channel, "channel");
    this.description = Objects.requireNonNull(description, "description");
    this.onClose = Objects.requireNonNull(onClose, "onClose");
  }

  public GrpcRemoteChannel(ManagedChannel channel, String description) {
    this(channel, description, () -> {});
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when a metadata name or value cannot be sent (see {@link OutboundMetadata})
   */
  @Override
  public ClientCall start(Descriptors.MethodDescriptor method, ClientCallOptions options, ClientListener listener) {
    Objects.requireNonNull(listener, "listener");
    var metadata = OutboundMetadata.of(options);
    CallOptions callOptions = CallOptions.DEFAULT;
    if (options.deadline().isPresent()) {
      callOptions = callOptions.withDeadline(deadline(options.deadline().get()));
    }
    var call = channel.newCall(methods.computeIfAbsent(method, DynamicMethods::describe), callOptions);
    return GrpcClientCall.start(call, metadata, listener, description, closed::get);
  }

  /** Cuts the connection: calls in progress end with UNAVAILABLE, new ones fail at once the same way. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      channel.shutdownNow();
      onClose.run();
    }
  }

  /** Waits at most {@code timeout} for the connection's resources to be released after {@link #close()}. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return channel.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public String toString() {
    return "GrpcRemoteChannel[" + description + (closed.get() ? ", closed" : "") + "]";
  }

  /** An instant as grpc's relative deadline; one already past makes the call fail with DEADLINE_EXCEEDED at once. */
  private static Deadline deadline(Instant deadline) {
    long nanos;
    try {
      nanos = Duration.between(Instant.now(), deadline).toNanos();
    } catch (ArithmeticException e) {
      // Centuries away (or ago): as good as no deadline, or one long past.
      nanos = deadline.isAfter(Instant.now()) ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    return Deadline.after(nanos, TimeUnit.NANOSECONDS);
  }
}
