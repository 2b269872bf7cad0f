package dev.bridge.script;

import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.ResponseSink;

/** A {@link ResponseSink} handing everything to another; subclasses change what they must. */
abstract class ForwardingSink implements ResponseSink {
  private final ResponseSink responses;

  ForwardingSink(ResponseSink responses) {
    this.responses = responses;
  }

  @Override
  public boolean isReady() {
    return responses.isReady();
  }

  @Override
  public void setOnReady(Runnable listener) {
    responses.setOnReady(listener);
  }

  @Override
  public void next(DynamicMessage response) {
    responses.next(response);
  }

  @Override
  public void complete() {
    responses.complete();
  }

  @Override
  public void fail(CallFailure failure) {
    responses.fail(failure);
  }
}
