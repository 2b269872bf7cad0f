package dev.bridge.rpc;

import com.google.protobuf.DynamicMessage;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The response side of a {@link LocalCall}: each response handed to the caller's consumer as it is sent, on the
 * handler's thread (so a slow consumer holds the handler back, and the sink is always ready), and the call's end
 * as a future. The call ends once: by the handler, or by the caller giving up ({@link #abandon}, the
 * cancellation), after which what the handler sends is dropped, as a transport drops it.
 */
final class LocalResponses implements ResponseSink {
  private final CallContext context;
  private final boolean oneResponse;
  private final Consumer<DynamicMessage> consumer;
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private int sent;

  /**
   * @param oneResponse the method answers with one response (unary, client-streaming): a second one, or none,
   *     fails the call with {@code INTERNAL}
   */
  LocalResponses(CallContext context, boolean oneResponse, Consumer<DynamicMessage> consumer) {
    this.context = context;
    this.oneResponse = oneResponse;
    this.consumer = Objects.requireNonNull(consumer, "consumer");
  }

  /** Completes when the call ends OK; fails with its {@link CallFailure}, or what the caller gave up for. */
  CompletableFuture<Void> ended() {
    return ended;
  }

  @Override
  public boolean isReady() {
    return !ended.isDone();
  }

  @Override
  public void setOnReady(Runnable listener) {
    // Always ready while the call lasts: the consumer itself is the back-pressure.
  }

  @Override
  public synchronized void next(DynamicMessage response) {
    if (ended.isDone()) {
      return;  // the caller is no longer listening
    }
    if (oneResponse && sent > 0) {
      end(new CallFailure("INTERNAL", context.fullMethodName() + ": a second response to a call that takes one"));
      return;
    }
    sent++;
    context.responseMetadata().sealHeaders();
    consumer.accept(response);
  }

  @Override
  public synchronized void complete() {
    if (oneResponse && sent == 0) {
      end(new CallFailure("INTERNAL", context.fullMethodName() + ": the handler ended the call without a response"));
      return;
    }
    end(null);
  }

  @Override
  public void fail(CallFailure failure) {
    end(failure);
  }

  /** The caller gave up, for {@code why} (a {@link CallFailure}, or the caller's own error): the call ends now. */
  void abandon(Throwable why) {
    end(why);
  }

  private synchronized void end(Throwable failure) {
    if (ended.isDone()) {
      return;
    }
    context.responseMetadata().seal();
    if (failure == null) {
      ended.complete(null);
    } else {
      ended.completeExceptionally(failure);
    }
  }
}
