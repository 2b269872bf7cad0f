package dev.bridge.rpc.grpc;

import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import io.grpc.MethodDescriptor.Marshaller;
import io.grpc.protobuf.ProtoUtils;
import java.io.InputStream;
import java.util.Objects;

/**
 * A request as the server reads it off the wire: the message, or why its bytes are not one. Parsing
 * never throws, so that malformed bytes reach the call handler, which answers {@code INVALID_ARGUMENT}
 * naming the method, instead of grpc-java failing the call with {@code UNKNOWN}.
 */
record InboundRequest(DynamicMessage message, String parseError) {
  static InboundRequest of(DynamicMessage message) {
    return new InboundRequest(Objects.requireNonNull(message), null);
  }

  boolean parsed() {
    return parseError == null;
  }

  /** Reads requests of one type; a parse failure becomes a value. */
  static Marshaller<InboundRequest> marshaller(Descriptors.Descriptor type) {
    Marshaller<DynamicMessage> proto = ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(type));
    return new Marshaller<>() {
      @Override
      public InputStream stream(InboundRequest value) {
        if (!value.parsed()) {
          throw new IllegalArgumentException("cannot send a request that failed to parse: " + value.parseError());
        }
        return proto.stream(value.message());
      }

      @Override
      public InboundRequest parse(InputStream stream) {
        try {
          return of(proto.parse(stream));
        } catch (RuntimeException e) {
          return new InboundRequest(null, "the request is not a valid " + type.getFullName() + ": " + problem(e));
        }
      }
    };
  }

  /** The innermost useful message: grpc wraps the protobuf error in "Invalid protobuf byte sequence". */
  private static String problem(Throwable e) {
    Throwable current = e;
    while (current.getCause() != null && current.getCause() != current) {
      current = current.getCause();
    }
    String message = current.getMessage();
    return message == null || message.isBlank() ? current.getClass().getSimpleName() : message;
  }
}
