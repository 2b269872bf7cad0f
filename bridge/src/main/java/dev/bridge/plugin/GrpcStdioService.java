package dev.bridge.plugin;

import com.google.protobuf.Empty;
import dev.bridge.plugin.internal.GrpcStdio;
import dev.bridge.plugin.internal.StdioData;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;

/** {@code plugin.GRPCStdio}: the host subscribes once and receives the plugin's output from a {@link StdioPublisher}. */
final class GrpcStdioService {
  static final String SERVICE = "plugin.GRPCStdio";

  static final MethodDescriptor<Empty, StdioData> STREAM_STDIO =
      MethodDescriptor.<Empty, StdioData>newBuilder()
          .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
          .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "StreamStdio"))
          .setRequestMarshaller(ProtoUtils.marshaller(Empty.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(StdioData.getDefaultInstance()))
          .build();

  private GrpcStdioService() {}

  static ServerServiceDefinition definition(StdioPublisher publisher) {
    return ServerServiceDefinition.builder(InternalServiceSchema.describe(SERVICE,
            new InternalServiceSchema(GrpcStdio::getDescriptor, "GRPCStdio"), STREAM_STDIO))
        .addMethod(
            STREAM_STDIO,
            ServerCalls.asyncServerStreamingCall(
                (request, response) -> publisher.subscribe((ServerCallStreamObserver<StdioData>) response)))
        .build();
  }
}
