package dev.bridge.rpc;

import com.google.protobuf.DynamicMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Calls made in-process, without a transport: the requests come from the caller's hand and the responses go
 * back to it. What {@code bridgejs call} and tests run. The caller's side behaves as a
 * transport's: requests of a stream are read from the caller's iterator only as the handler pulls them, each
 * response reaches the caller as it is sent, the context's deadline cancels the call when it passes, and once
 * the call is cancelled it ends at once with the reason, whatever the handler sends after that being dropped.
 * Each call's future fails with a {@link CallFailure}, or a {@link RequestsFailedException} when the caller's
 * iterator threw.
 */
public final class LocalCall {
  /** Cancels calls whose deadline passed, as a gRPC server does; one daemon thread for every local call. */
  private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();

  private LocalCall() {}

  /** One request in; the one response, or the call's failure. */
  public static CompletableFuture<DynamicMessage> unary(MethodHandler handler, DynamicMessage request,
      CallContext context) {
    AtomicReference<DynamicMessage> response = new AtomicReference<>();
    return run(handler, new SingleRequest(request), new LocalResponses(context, true, response::set), context)
        .thenApply(ok -> response.get());
  }

  /** One request in; each response to {@code responses} as it comes (on the handler's thread); the end. */
  public static CompletableFuture<Void> serverStreaming(MethodHandler handler, DynamicMessage request,
      CallContext context, Consumer<DynamicMessage> responses) {
    return run(handler, new SingleRequest(request), new LocalResponses(context, false, responses), context);
  }

  /**
   * The requests read from {@code requests} as the handler pulls them (the iterator may block; its end is the
   * half-close); the one response, or the call's failure.
   */
  public static CompletableFuture<DynamicMessage> clientStreaming(MethodHandler handler,
      Iterator<DynamicMessage> requests, CallContext context) {
    AtomicReference<DynamicMessage> response = new AtomicReference<>();
    LocalResponses sink = new LocalResponses(context, true, response::set);
    return run(handler, pulled(requests, sink, context), sink, context).thenApply(ok -> response.get());
  }

  /** Requests pulled from {@code requests}, responses to {@code responses}, interleaved as the handler goes. */
  public static CompletableFuture<Void> bidiStreaming(MethodHandler handler, Iterator<DynamicMessage> requests,
      CallContext context, Consumer<DynamicMessage> responses) {
    LocalResponses sink = new LocalResponses(context, false, responses);
    return run(handler, pulled(requests, sink, context), sink, context);
  }

  /** Requests from the caller's iterator; if it throws, the call ends ({@link RequestsFailedException}) and is cancelled. */
  private static LocalRequests pulled(Iterator<DynamicMessage> requests, LocalResponses sink, CallContext context) {
    String name = context.fullMethodName();
    LocalRequests source = new LocalRequests(requests, name, failure -> {
      RequestsFailedException failed = new RequestsFailedException(name, failure);
      sink.abandon(failed);
      context.cancellation().cancel(new CallFailure("CANCELLED", failed.getMessage()));
    });
    sink.ended().whenComplete((ok, failure) -> source.stop());
    return source;
  }

  private static CompletableFuture<Void> run(MethodHandler handler, RequestSource requests, LocalResponses responses,
      CallContext context) {
    context.cancellation().whenCancelled(responses::abandon);
    if (context.deadline().isPresent()) {
      Duration left = Duration.between(Instant.now(), context.deadline().get());
      if (!left.isPositive()) {
        context.cancellation().cancel(new CallFailure("DEADLINE_EXCEEDED", context.fullMethodName()
            + ": the host's deadline passed before the handler started"));
        return responses.ended();
      }
      ScheduledFuture<?> timer = DEADLINES.schedule(() -> context.cancellation().cancel(new CallFailure(
          "DEADLINE_EXCEEDED", context.fullMethodName() + ": the host's deadline passed")),
          left.toNanos(), TimeUnit.NANOSECONDS);
      responses.ended().whenComplete((ok, failure) -> timer.cancel(false));
    }
    try {
      handler.start(requests, responses, context);
    } catch (RuntimeException e) {
      responses.fail(DirectCall.failureOf(e));
    }
    return responses.ended();
  }

  private static ScheduledThreadPoolExecutor deadlines() {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
        task -> Thread.ofPlatform().daemon().name("bridge-local-deadlines").unstarted(task));
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }
}
