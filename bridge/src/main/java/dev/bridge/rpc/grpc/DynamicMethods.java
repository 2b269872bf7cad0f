package dev.bridge.rpc.grpc;

import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import io.grpc.protobuf.ProtoUtils;

/** gRPC method descriptors for methods known only at run time: messages travel as DynamicMessage. */
public final class DynamicMethods {
  private DynamicMethods() {}

  /** The method as a client calls it. */
  public static MethodDescriptor<DynamicMessage, DynamicMessage> describe(Descriptors.MethodDescriptor method) {
    return builder(method, ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(method.getInputType()))).build();
  }

  /** The method as the server reads it: request bytes that do not parse reach the handler as an error value. */
  static MethodDescriptor<InboundRequest, DynamicMessage> serve(Descriptors.MethodDescriptor method) {
    return builder(method, InboundRequest.marshaller(method.getInputType())).build();
  }

  private static <Q> MethodDescriptor.Builder<Q, DynamicMessage> builder(
      Descriptors.MethodDescriptor method, MethodDescriptor.Marshaller<Q> requests) {
    return MethodDescriptor.<Q, DynamicMessage>newBuilder()
        .setType(callKind(method))
        .setFullMethodName(MethodDescriptor.generateFullMethodName(
            method.getService().getFullName(), method.getName()))
        .setRequestMarshaller(requests)
        .setResponseMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(method.getOutputType())))
        .setSchemaDescriptor(new MethodSchema(method));
  }

  static MethodType callKind(Descriptors.MethodDescriptor method) {
    if (method.isClientStreaming()) {
      return method.isServerStreaming() ? MethodType.BIDI_STREAMING : MethodType.CLIENT_STREAMING;
    }
    return method.isServerStreaming() ? MethodType.SERVER_STREAMING : MethodType.UNARY;
  }

  /** Lets server reflection describe dynamic methods like generated ones. */
  record MethodSchema(Descriptors.MethodDescriptor method) implements ProtoMethodDescriptorSupplier {
    @Override
    public Descriptors.FileDescriptor getFileDescriptor() {
      return method.getFile();
    }

    @Override
    public Descriptors.ServiceDescriptor getServiceDescriptor() {
      return method.getService();
    }

    @Override
    public Descriptors.MethodDescriptor getMethodDescriptor() {
      return method;
    }
  }
}
