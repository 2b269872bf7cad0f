package dev.bridge.rpc.grpc;

import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.InputStream;

/** A method as a client that sends any bytes sees it: for tests of requests that are no valid message. */
final class RawBytes {
  private RawBytes() {}

  private static final MethodDescriptor.Marshaller<byte[]> MARSHALLER = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      return new byte[0];
    }
  };

  static MethodDescriptor<byte[], byte[]> method(MethodDescriptor.MethodType type, String fullMethodName) {
    return MethodDescriptor.<byte[], byte[]>newBuilder().setType(type).setFullMethodName(fullMethodName)
        .setRequestMarshaller(MARSHALLER).setResponseMarshaller(MARSHALLER).build();
  }
}
