package dev.bridge.rpc;

import com.google.protobuf.DynamicMessage;

/** Receives the requests a handler asked a {@link RequestSource} for. */
public interface RequestListener {
  /** One request; only as many as were requested. */
  void onNext(DynamicMessage request);

  /** The caller sent its last request (half-close); nothing follows. */
  void onCompleted();
}
