package dev.bridge.plugin;

import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.grpc.protobuf.ProtoServiceDescriptorSupplier;
import java.util.function.Supplier;

/**
 * Lets server reflection describe go-plugin's own services (broker, controller, stdio), as a Go plugin's reflection
 * does. The file descriptor is built only when a reflection client asks: every start would pay for it otherwise.
 *
 * @param file the generated file's descriptor, e.g. {@code GrpcBroker::getDescriptor}
 * @param serviceName the service's simple name in that file
 */
public record InternalServiceSchema(Supplier<FileDescriptor> file, String serviceName)
    implements ProtoServiceDescriptorSupplier {
  @Override
  public FileDescriptor getFileDescriptor() {
    return file.get();
  }

  @Override
  public ServiceDescriptor getServiceDescriptor() {
    return getFileDescriptor().findServiceByName(serviceName);
  }

  /** A service definition's descriptor naming its methods and this schema. */
  public static io.grpc.ServiceDescriptor describe(String fullName, InternalServiceSchema schema,
      io.grpc.MethodDescriptor<?, ?>... methods) {
    var builder = io.grpc.ServiceDescriptor.newBuilder(fullName).setSchemaDescriptor(schema);
    for (io.grpc.MethodDescriptor<?, ?> method : methods) {
      builder.addMethod(method);
    }
    return builder.build();
  }
}
