package dev.bridge.rpc;

import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One call of a method made in-process, without a transport: what {@code bridgejs call} runs. The method is
 * served as {@link DynamicService} serves it over gRPC (the same handler lookup, the same refusal of methods
 * without a handler), in any of the four shapes ({@link LocalCall}), and its failure reads as the status a host
 * would see.
 */
public final class DirectCall {
  private DirectCall() {}

  /** The full method name a handler sees in its context: {@code proto.KV/Get}. */
  public static String fullMethodName(Descriptors.MethodDescriptor method) {
    return io.grpc.MethodDescriptor.generateFullMethodName(method.getService().getFullName(), method.getName());
  }

  /**
   * Calls the method's handler; the result fails with a {@link CallFailure} ({@link #failureOf}) when the
   * method cannot be served or the handler fails, which the plugin's log records as a host's call
   * ({@link CallLog}).
   */
  public static CompletableFuture<DynamicMessage> unary(Descriptors.MethodDescriptor method, Handlers handlers,
      DynamicMessage request, CallContext context) {
    return serve(method, handlers, context, handler -> LocalCall.unary(handler, request, context));
  }

  /** The same for a server-streaming method: each response to {@code responses} as it comes. */
  public static CompletableFuture<Void> serverStreaming(Descriptors.MethodDescriptor method, Handlers handlers,
      DynamicMessage request, CallContext context, Consumer<DynamicMessage> responses) {
    return serve(method, handlers, context, handler -> LocalCall.serverStreaming(handler, request, context, responses));
  }

  /**
   * The same for a client-streaming method, its requests read from {@code requests} as the handler pulls them;
   * the iterator throwing ends the call with a {@link RequestsFailedException}, which is the caller's to report.
   */
  public static CompletableFuture<DynamicMessage> clientStreaming(Descriptors.MethodDescriptor method,
      Handlers handlers, Iterator<DynamicMessage> requests, CallContext context) {
    return serve(method, handlers, context, handler -> LocalCall.clientStreaming(handler, requests, context));
  }

  /** The same for a bidi-streaming method. */
  public static CompletableFuture<Void> bidiStreaming(Descriptors.MethodDescriptor method, Handlers handlers,
      Iterator<DynamicMessage> requests, CallContext context, Consumer<DynamicMessage> responses) {
    return serve(method, handlers, context, handler -> LocalCall.bidiStreaming(handler, requests, context, responses));
  }

  private static <T> CompletableFuture<T> serve(Descriptors.MethodDescriptor method, Handlers handlers,
      CallContext context, Function<MethodHandler, CompletableFuture<T>> call) {
    Optional<String> refusal = refusal(method, handlers);
    CompletableFuture<T> result;
    if (refusal.isPresent()) {
      result = CompletableFuture.failedFuture(new CallFailure("UNIMPLEMENTED", refusal.get()));
    } else {
      try {
        result = call.apply(handlers.find(method).orElseThrow());
      } catch (RuntimeException e) {
        result = CompletableFuture.failedFuture(e);
      }
    }
    return result.whenComplete((response, failure) -> {
      context.responseMetadata().seal();
      if (failure != null && !(unwrap(failure) instanceof RequestsFailedException)) {
        CallLog.failed(fullMethodName(method), failure);
      }
    });
  }

  /** Why the method is answered {@code UNIMPLEMENTED} without running anything, if it is. */
  public static Optional<String> refusal(Descriptors.MethodDescriptor method, Handlers handlers) {
    if (handlers.find(method).isEmpty()) {
      return Optional.of(fullMethodName(method) + " has no handler: " + handlers.describeMissing(method));
    }
    return Optional.empty();
  }

  /** A call's failure as a status, as {@link Statuses} gives it to a host: anything but a CallFailure is UNKNOWN. */
  public static CallFailure failureOf(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof CallFailure call) {
      return call;
    }
    String message = cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
    return new CallFailure("UNKNOWN", message, cause);
  }

  /** What failed, without the wrappers of futures. */
  public static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
