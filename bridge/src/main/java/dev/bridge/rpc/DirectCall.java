package dev.bridge.rpc;

import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * One call of a method made in-process, without a transport: what {@code bridgejs call} runs. The method is
 * served as {@link DynamicService} serves it over gRPC (the same handler lookup, the same refusals of methods
 * without a handler or that are not unary) and its failure reads as the status a host would see.
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
    Optional<String> refusal = refusal(method, handlers);
    CompletableFuture<DynamicMessage> result;
    if (refusal.isPresent()) {
      result = CompletableFuture.failedFuture(new CallFailure("UNIMPLEMENTED", refusal.get()));
    } else {
      try {
        result = handlers.find(method).orElseThrow().unary(request, context).toCompletableFuture();
      } catch (RuntimeException e) {
        result = CompletableFuture.failedFuture(e);
      }
    }
    return result.whenComplete((response, failure) -> {
      context.responseMetadata().seal();
      if (failure != null) {
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
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof CallFailure call) {
      return call;
    }
    String message = cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
    return new CallFailure("UNKNOWN", message, cause);
  }
}
