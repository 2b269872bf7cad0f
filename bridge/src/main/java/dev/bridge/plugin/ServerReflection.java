package dev.bridge.plugin;

import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.util.List;

/**
 * gRPC server reflection, always served as a Go plugin serves it: {@code grpc.reflection.v1} and the older
 * {@code grpc.reflection.v1alpha}, which clients built with grpc-go before 1.57 (grpcurl, Debian's grpc-go 1.33) only
 * speak. Both describe every service the server has, go-plugin's own included, and ask the server at each request,
 * so that they describe the services a dev-mode reload put in place.
 */
final class ServerReflection {
  static final String V1 = "grpc.reflection.v1.ServerReflection";
  static final String V1ALPHA = "grpc.reflection.v1alpha.ServerReflection";

  private ServerReflection() {}

  @SuppressWarnings("deprecation") // v1alpha: deprecated by grpc-java in favour of v1, still what older clients call
  static List<ServerServiceDefinition> definitions() {
    return List.of(
        ProtoReflectionServiceV1.newInstance().bindService(),
        io.grpc.protobuf.services.ProtoReflectionService.newInstance().bindService());
  }
}
