package dev.bridge.rpc.grpc;

import dev.bridge.rpc.CallShape;
import dev.bridge.rpc.CallContext;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.CallLog;
import dev.bridge.rpc.DirectCall;
import dev.bridge.rpc.Handlers;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.ProtoServiceDescriptorSupplier;
import java.util.List;
import java.util.Optional;

/**
 * A gRPC service built from a descriptor loaded at run time, every method served by the handler that
 * {@link Handlers} finds for it. Methods without a handler answer UNIMPLEMENTED naming what is missing.
 *
 * <p>Each call carries the host's deadline and cancellation to its handler ({@link CallContext}).
 * Request bytes that are not a valid message answer {@code INVALID_ARGUMENT} naming the method and
 * the problem, without reaching the handler; the service keeps serving.
 */
public final class DynamicService {
  private DynamicService() {}

  public static ServerServiceDefinition bind(Descriptors.ServiceDescriptor service, Handlers handlers) {
    List<MethodDescriptor<InboundRequest, DynamicMessage>> methods =
        service.getMethods().stream().map(DynamicMethods::serve).toList();
    var definition = ServerServiceDefinition.builder(serviceDescriptor(service, methods));
    for (int i = 0; i < methods.size(); i++) {
      definition.addMethod(methods.get(i), callHandler(service.getMethods().get(i), methods.get(i), handlers));
    }
    return ServerInterceptors.intercept(definition.build(), new CallMetadata());
  }

  private static ServiceDescriptor serviceDescriptor(
      Descriptors.ServiceDescriptor service, List<MethodDescriptor<InboundRequest, DynamicMessage>> methods) {
    var builder = ServiceDescriptor.newBuilder(service.getFullName()).setSchemaDescriptor(new ServiceSchema(service));
    methods.forEach(builder::addMethod);
    return builder.build();
  }

  private static ServerCallHandler<InboundRequest, DynamicMessage> callHandler(
      Descriptors.MethodDescriptor method, MethodDescriptor<InboundRequest, DynamicMessage> grpcMethod,
      Handlers handlers) {
    Optional<String> refusal = DirectCall.refusal(method, handlers);
    if (refusal.isPresent()) {
      return unimplemented(refusal.get());
    }
    return new GrpcCallHandler(grpcMethod.getFullMethodName(), CallShape.of(method), handlers.find(method).orElseThrow());
  }

  /** Refuses the call at once, whatever its kind, without reading a request. */
  private static ServerCallHandler<InboundRequest, DynamicMessage> unimplemented(String message) {
    return (call, headers) -> {
      CallLog.failed(call.getMethodDescriptor().getFullMethodName(), new CallFailure("UNIMPLEMENTED", message));
      call.close(Status.UNIMPLEMENTED.withDescription(message), new Metadata());
      return new ServerCall.Listener<>() {};
    };
  }

  /** Lets server reflection describe dynamic services like generated ones. */
  record ServiceSchema(Descriptors.ServiceDescriptor service) implements ProtoServiceDescriptorSupplier {
    @Override
    public Descriptors.FileDescriptor getFileDescriptor() {
      return service.getFile();
    }

    @Override
    public Descriptors.ServiceDescriptor getServiceDescriptor() {
      return service;
    }
  }
}
