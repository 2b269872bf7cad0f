package dev.bridge.script;

import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.CallContext;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.ResponseSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/**
 * A stream's responses in-process, as a transport takes them: the first response seals the headers; readiness
 * is the test's to set ({@link #setReady}, or {@link #pauseAfter} turning it off by itself), and turning ready
 * fires the handler's listener as gRPC's onReady does. Records what arrives; {@link #end} is the outcome.
 */
final class TestStreamSink implements ResponseSink {
  private final CallContext context;
  private final List<DynamicMessage> received = new ArrayList<>();
  private final CompletableFuture<CallFailure> end = new CompletableFuture<>();
  private volatile boolean ready = true;
  private volatile Runnable onReady = () -> {};
  private volatile IntPredicate pauseAfter = count -> false;

  TestStreamSink(CallContext context) {
    this.context = context;
  }

  /** Turns not ready by itself once it has received a count of responses the predicate accepts. */
  TestStreamSink pauseAfter(IntPredicate when) {
    this.pauseAfter = when;
    return this;
  }

  /** Sets readiness; turning ready runs the handler's listener, on this thread. */
  void setReady(boolean value) {
    boolean was = ready;
    ready = value;
    if (value && !was) {
      onReady.run();
    }
  }

  @Override
  public boolean isReady() {
    return ready;
  }

  @Override
  public void setOnReady(Runnable listener) {
    onReady = listener;
  }

  @Override
  public void next(DynamicMessage response) {
    int count;
    synchronized (this) {
      if (end.isDone()) {
        throw new IllegalStateException("a response after the end: " + response);
      }
      context.responseMetadata().sealHeaders();
      received.add(response);
      count = received.size();
      notifyAll();
    }
    if (pauseAfter.test(count)) {
      ready = false;
    }
  }

  @Override
  public void complete() {
    context.responseMetadata().seal();
    if (!end.complete(null)) {
      throw new IllegalStateException("ended twice");
    }
  }

  @Override
  public void fail(CallFailure failure) {
    context.responseMetadata().seal();
    if (!end.complete(failure)) {
      throw new IllegalStateException("ended twice");
    }
  }

  /** The context of the call whose responses these are. */
  CallContext context() {
    return context;
  }

  synchronized List<DynamicMessage> received() {
    return List.copyOf(received);
  }

  synchronized int count() {
    return received.size();
  }

  /** Waits until {@code count} responses arrived. */
  synchronized void awaitCount(int count) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (received.size() < count) {
      long left = until - System.nanoTime();
      if (left <= 0 || end.isDone()) {
        throw new AssertionError("expected " + count + " responses, got " + received.size()
            + (end.isDone() ? " and the end: " + end.getNow(null) : ""));
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** The end: null for OK, else the failure. */
  CallFailure awaitEnd() throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
    return end.get(30, TimeUnit.SECONDS);
  }

  boolean ended() {
    return end.isDone();
  }
}
