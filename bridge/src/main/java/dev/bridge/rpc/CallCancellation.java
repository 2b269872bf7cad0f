package dev.bridge.rpc;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Tells a handler that the caller gave up on its call, without gRPC types: the host cancelled it or
 * its deadline passed. Cancelled at most once, with a reason ({@code CANCELLED} or
 * {@code DEADLINE_EXCEEDED}, and a message naming the method); listeners run once, on the cancelling
 * thread, or at once when added after the cancellation.
 */
public final class CallCancellation {
  private final CompletableFuture<CallFailure> reason = new CompletableFuture<>();

  /** A fresh signal, not cancelled yet. */
  public CallCancellation() {}

  /** Cancels with this reason; false if already cancelled (the first reason stays). */
  public boolean cancel(CallFailure why) {
    return reason.complete(Objects.requireNonNull(why, "why"));
  }

  public boolean isCancelled() {
    return reason.isDone();
  }

  /** Why the call was cancelled, once it is. */
  public Optional<CallFailure> reason() {
    return Optional.ofNullable(reason.getNow(null));
  }

  /** Runs {@code listener} with the reason when the call is cancelled (at once if it already is). */
  public void whenCancelled(Consumer<CallFailure> listener) {
    Objects.requireNonNull(listener, "listener");
    reason.thenAccept(listener);
  }
}
