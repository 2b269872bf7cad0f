package dev.bridge.script;

import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.ResponseSink;

/**
 * A stream's responses, sent from the JS thread while the call may end on another (the host cancelling, a
 * deadline, a closing runtime): calls are serialized, as a {@link ResponseSink} requires, and nothing goes out
 * after the end, which happens once.
 */
final class EndOnceSink extends ForwardingSink {
  private boolean ended;

  EndOnceSink(ResponseSink responses) {
    super(responses);
  }

  @Override
  public synchronized void next(DynamicMessage response) {
    if (!ended) {
      super.next(response);
    }
  }

  @Override
  public synchronized void complete() {
    if (!ended) {
      ended = true;
      super.complete();
    }
  }

  @Override
  public synchronized void fail(CallFailure failure) {
    if (!ended) {
      ended = true;
      super.fail(failure);
    }
  }
}
