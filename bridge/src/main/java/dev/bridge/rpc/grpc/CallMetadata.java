package dev.bridge.rpc.grpc;

import dev.bridge.rpc.ResponseMetadata;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/**
 * Carries each call's request headers to its handler (ASCII ones as strings, {@code -bin} ones as bytes), and
 * the response headers and trailers the handler set ({@link ResponseMetadata}) to the host: headers with the
 * response, or before the status when the call fails (grpc-java would otherwise answer a failure with
 * trailers only and drop them), trailers with the status.
 */
final class CallMetadata implements ServerInterceptor {
  private static final Context.Key<Metadata> HEADERS = Context.key("bridge.request-headers");
  private static final Context.Key<ResponseMetadata> RESPONSE = Context.key("bridge.response-metadata");

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    ResponseMetadata response = new ResponseMetadata();
    Context context = Context.current().withValues(HEADERS, headers, RESPONSE, response);
    return Contexts.interceptCall(context, new WithResponseMetadata<>(call, response), headers, next);
  }

  /** The current call's request headers, if the interceptor saw them. */
  static Metadata currentHeaders() {
    return HEADERS.get();
  }

  /** Where the current call's handler sets response headers and trailers; a fresh one without the interceptor. */
  static ResponseMetadata currentResponse() {
    ResponseMetadata response = RESPONSE.get();
    return response == null ? new ResponseMetadata() : response;
  }

  /** The ASCII request headers, name to values. */
  static Map<String, List<String>> ascii(Metadata headers) {
    Map<String, List<String>> metadata = new LinkedHashMap<>();
    if (headers != null) {
      for (String key : headers.keys()) {
        if (!key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
          Iterable<String> values = headers.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
          if (values != null) {
            metadata.put(key, StreamSupport.stream(values.spliterator(), false).toList());
          }
        }
      }
    }
    return metadata;
  }

  /** The binary ({@code -bin}) request headers, name to values (decoded from base64 by grpc). */
  static Map<String, List<byte[]>> binary(Metadata headers) {
    Map<String, List<byte[]>> metadata = new LinkedHashMap<>();
    if (headers != null) {
      for (String key : headers.keys()) {
        if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
          Iterable<byte[]> values = headers.getAll(Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER));
          if (values != null) {
            metadata.put(key, StreamSupport.stream(values.spliterator(), false).toList());
          }
        }
      }
    }
    return metadata;
  }

  /** Adds the entries to grpc metadata. */
  static void addAll(Metadata metadata, List<ResponseMetadata.Entry> entries) {
    for (ResponseMetadata.Entry entry : entries) {
      if (entry.value() instanceof byte[] bytes) {
        metadata.put(Metadata.Key.of(entry.name(), Metadata.BINARY_BYTE_MARSHALLER), bytes);
      } else {
        metadata.put(Metadata.Key.of(entry.name(), Metadata.ASCII_STRING_MARSHALLER), (String) entry.value());
      }
    }
  }

  private static final class WithResponseMetadata<Q, R> extends SimpleForwardingServerCall<Q, R> {
    private final ResponseMetadata response;
    private boolean headersSent;

    WithResponseMetadata(ServerCall<Q, R> call, ResponseMetadata response) {
      super(call);
      this.response = response;
    }

    @Override
    public void sendHeaders(Metadata headers) {
      headersSent = true;
      addAll(headers, response.headers());
      super.sendHeaders(headers);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      if (!headersSent && !response.headers().isEmpty()) {
        // A failure is otherwise answered trailers-only, where the handler's headers would be lost.
        sendHeaders(new Metadata());
      }
      addAll(trailers, response.trailers());
      super.close(status, trailers);
    }
  }
}
