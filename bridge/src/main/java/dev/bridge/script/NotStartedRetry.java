package dev.bridge.script;

import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.ResponseSink;
import java.util.function.BooleanSupplier;

/**
 * A call's responses as seen by an instance that may turn it away unstarted (closed by a reload, dropped for
 * running out of heap): such a refusal ({@link ScriptClosedException}) is not the call's end but a retry on the
 * instance serving now, when {@code mayRetry} says one is there. Safe because an instance touches neither the
 * requests nor the responses of a call before its handler starts.
 */
final class NotStartedRetry extends ForwardingSink {
  private final BooleanSupplier mayRetry;
  private final Runnable retry;

  private NotStartedRetry(ResponseSink responses, BooleanSupplier mayRetry, Runnable retry) {
    super(responses);
    this.mayRetry = mayRetry;
    this.retry = retry;
  }

  static ResponseSink around(ResponseSink responses, BooleanSupplier mayRetry, Runnable retry) {
    return new NotStartedRetry(responses, mayRetry, retry);
  }

  @Override
  public void fail(CallFailure failure) {
    if (failure.getCause() instanceof ScriptClosedException && mayRetry.getAsBoolean()) {
      retry.run();
    } else {
      super.fail(failure);
    }
  }
}
