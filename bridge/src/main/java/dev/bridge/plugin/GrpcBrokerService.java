package dev.bridge.plugin;

import dev.bridge.plugin.internal.ConnInfo;
import dev.bridge.plugin.internal.GrpcBroker;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code plugin.GRPCBroker}: hosts open this stream at connect time to offer extra connections. This plugin does not
 * use the broker yet, so it accepts the stream, sends nothing and keeps it open until the host closes it, which is what
 * a host expects from a plugin that never calls back.
 */
final class GrpcBrokerService {
  static final String SERVICE = "plugin.GRPCBroker";

  static final MethodDescriptor<ConnInfo, ConnInfo> START_STREAM =
      MethodDescriptor.<ConnInfo, ConnInfo>newBuilder()
          .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
          .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "StartStream"))
          .setRequestMarshaller(ProtoUtils.marshaller(ConnInfo.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(ConnInfo.getDefaultInstance()))
          .build();

  private static final Logger LOG = Logger.getLogger(GrpcBrokerService.class.getName());

  private final Set<ServerCallStreamObserver<ConnInfo>> open = ConcurrentHashMap.newKeySet();

  ServerServiceDefinition definition() {
    return ServerServiceDefinition.builder(InternalServiceSchema.describe(SERVICE,
            new InternalServiceSchema(GrpcBroker::getDescriptor, "GRPCBroker"), START_STREAM))
        .addMethod(START_STREAM, ServerCalls.asyncBidiStreamingCall(this::startStream))
        .build();
  }

  /** Ends every open stream, so that a graceful server shutdown is not held up by them. */
  void closeAll() {
    for (ServerCallStreamObserver<ConnInfo> stream : open) {
      if (open.remove(stream) && !stream.isCancelled()) {
        try {
          stream.onCompleted();
        } catch (IllegalStateException e) {
          LOG.log(Level.FINE, "broker stream already ended", Map.of("error", String.valueOf(e)));
        }
      }
    }
  }

  int openStreams() {
    return open.size();
  }

  private StreamObserver<ConnInfo> startStream(StreamObserver<ConnInfo> responses) {
    ServerCallStreamObserver<ConnInfo> stream = (ServerCallStreamObserver<ConnInfo>) responses;
    open.add(stream);
    stream.setOnCancelHandler(() -> open.remove(stream));
    return new StreamObserver<>() {
      @Override
      public void onNext(ConnInfo offer) {
        LOG.log(
            Level.FINE,
            "ignoring a broker connection offer: the broker is not supported",
            Map.of("service_id", Integer.toUnsignedLong(offer.getServiceId())));
      }

      @Override
      public void onError(Throwable t) {
        open.remove(stream);
      }

      @Override
      public void onCompleted() {
        if (open.remove(stream)) {
          stream.onCompleted();
        }
      }
    };
  }
}
