package dev.bridge.plugin;

import dev.bridge.plugin.internal.Empty;
import dev.bridge.plugin.internal.GrpcController;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;

/** {@code plugin.GRPCController}: the host's request that the plugin shut itself down (sent when the host is done). */
final class GrpcControllerService {
  static final String SERVICE = "plugin.GRPCController";

  static final MethodDescriptor<Empty, Empty> SHUTDOWN =
      MethodDescriptor.<Empty, Empty>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Shutdown"))
          .setRequestMarshaller(ProtoUtils.marshaller(Empty.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(Empty.getDefaultInstance()))
          .build();

  private GrpcControllerService() {}

  /**
   * @param onShutdown run after the reply has been handed to gRPC; it must not wait for the server to terminate,
   *     since it runs on one of the server's own call threads
   */
  static ServerServiceDefinition definition(Runnable onShutdown) {
    return ServerServiceDefinition.builder(InternalServiceSchema.describe(SERVICE,
            new InternalServiceSchema(GrpcController::getDescriptor, "GRPCController"), SHUTDOWN))
        .addMethod(
            SHUTDOWN,
            ServerCalls.asyncUnaryCall(
                (request, response) -> {
                  // Reply first: stopping the server could otherwise cut the host off before it hears back, and the
                  // host would then log a failed close.
                  response.onNext(Empty.getDefaultInstance());
                  response.onCompleted();
                  onShutdown.run();
                }))
        .build();
  }
}
