package dev.bridge.dispatch;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Carries each call's request headers to its handler, which sees them as plain strings. */
final class CallMetadata implements ServerInterceptor {
  private static final Context.Key<Metadata> HEADERS = Context.key("bridge.request-headers");

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    return Contexts.interceptCall(Context.current().withValue(HEADERS, headers), call, headers, next);
  }

  /** The current call's request headers, if the interceptor saw them. */
  static Metadata currentHeaders() {
    return HEADERS.get();
  }

  /** The ASCII request headers, name to values. */
  static Map<String, List<String>> ascii(Metadata headers) {
    Map<String, List<String>> metadata = new LinkedHashMap<>();
    if (headers != null) {
      for (String key : headers.keys()) {
        if (!key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
          Iterable<String> values = headers.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
          if (values != null) {
            metadata.put(key, java.util.stream.StreamSupport.stream(values.spliterator(), false).toList());
          }
        }
      }
    }
    return metadata;
  }
}
