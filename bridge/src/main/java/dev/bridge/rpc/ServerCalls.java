package dev.bridge.rpc;

import com.google.protobuf.DynamicMessage;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Method handlers of the four call shapes built from simpler functions, as grpc-java's {@code ServerCalls}
 * builds them over stream observers: unary and server-streaming methods get their one request (the call
 * fails if the caller sends none, or more), unary and client-streaming methods answer with one response or
 * a failure.
 */
public final class ServerCalls {
  private ServerCalls() {}

  /** One request in, one response (or failure) out. */
  @FunctionalInterface
  public interface UnaryMethod {
    CompletionStage<DynamicMessage> invoke(DynamicMessage request, CallContext context);
  }

  /** One request in, responses out on the sink, which the method ends. */
  @FunctionalInterface
  public interface ServerStreamingMethod {
    void invoke(DynamicMessage request, ResponseSink responses, CallContext context);
  }

  /** Requests pulled from the source, one response (or failure) out. */
  @FunctionalInterface
  public interface ClientStreamingMethod {
    CompletionStage<DynamicMessage> invoke(RequestSource requests, CallContext context);
  }

  /** Requests pulled from the source, responses out on the sink, which the method ends. */
  @FunctionalInterface
  public interface BidiStreamingMethod {
    void invoke(RequestSource requests, ResponseSink responses, CallContext context);
  }

  public static MethodHandler unary(UnaryMethod method) {
    return (requests, responses, context) -> readOne(requests, responses, context,
        request -> answer(invoke(() -> method.invoke(request, context)), responses));
  }

  public static MethodHandler serverStreaming(ServerStreamingMethod method) {
    return (requests, responses, context) -> readOne(requests, responses, context, request -> {
      try {
        method.invoke(request, responses, context);
      } catch (RuntimeException e) {
        responses.fail(DirectCall.failureOf(e));
      }
    });
  }

  public static MethodHandler clientStreaming(ClientStreamingMethod method) {
    return (requests, responses, context) -> answer(invoke(() -> method.invoke(requests, context)), responses);
  }

  public static MethodHandler bidiStreaming(BidiStreamingMethod method) {
    return (requests, responses, context) -> {
      try {
        method.invoke(requests, responses, context);
      } catch (RuntimeException e) {
        responses.fail(DirectCall.failureOf(e));
      }
    };
  }

  private static CompletionStage<DynamicMessage> invoke(Supplier<CompletionStage<DynamicMessage>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static void answer(CompletionStage<DynamicMessage> result, ResponseSink responses) {
    result.whenComplete((response, failure) -> {
      if (failure != null) {
        responses.fail(DirectCall.failureOf(failure));
      } else if (response == null) {
        responses.fail(new CallFailure("INTERNAL", "the handler answered without a response"));
      } else {
        // whenComplete would swallow what the sink throws, and the call would never end.
        try {
          responses.next(response);
        } catch (RuntimeException e) {
          responses.fail(new CallFailure("INTERNAL", "the response could not be sent: " + e.getMessage(), e));
          return;
        }
        responses.complete();
      }
    });
  }

  /**
   * Reads the one request of a unary or server-streaming call, then runs {@code body} with it once the caller
   * half-closed (as grpc-java does, so that a second request is an error rather than ignored).
   */
  private static void readOne(RequestSource requests, ResponseSink responses, CallContext context,
      Consumer<DynamicMessage> body) {
    requests.start(new RequestListener() {
      private DynamicMessage request;
      private final AtomicBoolean failed = new AtomicBoolean();

      @Override
      public void onNext(DynamicMessage next) {
        if (request != null) {
          if (failed.compareAndSet(false, true)) {
            responses.fail(new CallFailure("INVALID_ARGUMENT", context.fullMethodName()
                + ": more than one request for a method that takes one"));
          }
          return;
        }
        request = next;
      }

      @Override
      public void onCompleted() {
        if (failed.get()) {
          return;
        }
        Optional<CallFailure> gaveUp = context.cancellation().reason();
        if (gaveUp.isPresent()) {
          // The caller gave up before its request was complete: the handler is not run for nobody.
          responses.fail(gaveUp.get());
          return;
        }
        if (request == null) {
          responses.fail(new CallFailure("INVALID_ARGUMENT", context.fullMethodName()
              + ": the caller sent no request"));
          return;
        }
        body.accept(request);
      }
    });
    requests.request(2);
  }
}
