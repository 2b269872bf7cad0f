package dev.bridge.rpc.grpc;

import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.ClientCall;
import dev.bridge.rpc.ClientListener;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.function.BooleanSupplier;

/**
 * One client call: grpc-java's {@link io.grpc.ClientCall} seen as the transport-free {@link ClientCall}, its
 * listener's events passed on to a {@link ClientListener} (metadata split into ASCII and binary, the status made a
 * {@link CallFailure}). Like grpc-java's, its methods are called from one thread at a time.
 */
final class GrpcClientCall implements ClientCall {
  private final io.grpc.ClientCall<DynamicMessage, DynamicMessage> call;

  private GrpcClientCall(io.grpc.ClientCall<DynamicMessage, DynamicMessage> call) {
    this.call = call;
  }

  /**
   * Starts {@code call} with {@code headers}.
   *
   * @param description what the channel connects to, named in failures of the transport
   * @param channelClosed whether the channel was closed on purpose, which an UNAVAILABLE then says instead of
   *     grpc's "Channel shutdownNow invoked"
   */
  static GrpcClientCall start(io.grpc.ClientCall<DynamicMessage, DynamicMessage> call, Metadata headers,
      ClientListener listener, String description, BooleanSupplier channelClosed) {
    call.start(new Listener(listener, description, channelClosed), headers);
    return new GrpcClientCall(call);
  }

  @Override
  public void request(int count) {
    call.request(count);
  }

  @Override
  public boolean isReady() {
    return call.isReady();
  }

  @Override
  public void send(DynamicMessage request) {
    call.sendMessage(request);
  }

  @Override
  public void halfClose() {
    call.halfClose();
  }

  @Override
  public void cancel(String reason) {
    call.cancel(reason, null);
  }

  private static final class Listener extends io.grpc.ClientCall.Listener<DynamicMessage> {
    private final ClientListener listener;
    private final String description;
    private final BooleanSupplier channelClosed;

    Listener(ClientListener listener, String description, BooleanSupplier channelClosed) {
      this.listener = listener;
      this.description = description;
      this.channelClosed = channelClosed;
    }

    @Override
    public void onHeaders(Metadata headers) {
      listener.onHeaders(CallMetadata.ascii(headers), CallMetadata.binary(headers));
    }

    @Override
    public void onMessage(DynamicMessage message) {
      listener.onMessage(message);
    }

    @Override
    public void onReady() {
      listener.onReady();
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      CallFailure failure = Statuses.failure(status, trailers, description);
      if (failure != null && failure.code().equals("UNAVAILABLE") && channelClosed.getAsBoolean()) {
        failure = new CallFailure("UNAVAILABLE", "the connection to " + description + " was closed", failure);
      }
      listener.onClose(failure, CallMetadata.ascii(trailers), CallMetadata.binary(trailers));
    }
  }
}
