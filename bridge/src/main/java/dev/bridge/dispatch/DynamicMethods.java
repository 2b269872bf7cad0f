package dev.bridge.dispatch;

import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import io.grpc.protobuf.ProtoUtils;

/** gRPC method descriptors for methods known only at run time: messages travel as DynamicMessage. */
final class DynamicMethods {
  private DynamicMethods() {}

  static MethodDescriptor<DynamicMessage, DynamicMessage> describe(Descriptors.MethodDescriptor method) {
    return MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
        .setType(callKind(method))
        .setFullMethodName(MethodDescriptor.generateFullMethodName(
            method.getService().getFullName(), method.getName()))
        .setRequestMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(method.getInputType())))
        .setResponseMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(method.getOutputType())))
        .setSchemaDescriptor(new MethodSchema(method))
        .build();
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
