package dev.bridge.rpc;

import com.google.protobuf.DynamicMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A response sink a test reads: what was sent, how the call ended (and whether it was ended more than once, a
 * bug of the handler or adapter), and readiness the test turns off and on as a slow caller would.
 */
class TestResponses implements ResponseSink {
  /** How a call ended: OK (no failure) or with a failure. */
  record End(Optional<CallFailure> failure) {
    boolean ok() {
      return failure.isEmpty();
    }

    String code() {
      return failure.map(CallFailure::code).orElse("OK");
    }

    String message() {
      return failure.map(CallFailure::getMessage).orElse("");
    }
  }

  private final List<DynamicMessage> sent = new ArrayList<>();
  private final CompletableFuture<End> end = new CompletableFuture<>();
  private int ends;
  private boolean ready = true;
  private Runnable onReady;

  @Override
  public synchronized boolean isReady() {
    return ready;
  }

  @Override
  public synchronized void setOnReady(Runnable listener) {
    onReady = listener;
  }

  /** The caller stops reading ({@code false}) or reads again ({@code true}, which runs the onReady listener). */
  void ready(boolean now) {
    Runnable listener;
    synchronized (this) {
      boolean turned = now && !ready;
      ready = now;
      listener = turned ? onReady : null;
    }
    if (listener != null) {
      listener.run();
    }
  }

  @Override
  public synchronized void next(DynamicMessage response) {
    if (end.isDone()) {
      throw new AssertionError("a response after the call ended: " + response);
    }
    sent.add(response);
  }

  @Override
  public void complete() {
    ended(Optional.empty());
  }

  @Override
  public void fail(CallFailure failure) {
    ended(Optional.of(failure));
  }

  private synchronized void ended(Optional<CallFailure> failure) {
    ends++;
    end.complete(new End(failure));
  }

  synchronized List<DynamicMessage> sent() {
    return List.copyOf(sent);
  }

  /** The end, waited for (a hang guard only). */
  End end() throws Exception {
    return end.get(10, TimeUnit.SECONDS);
  }

  boolean ended() {
    return end.isDone();
  }

  synchronized int ends() {
    return ends;
  }
}
