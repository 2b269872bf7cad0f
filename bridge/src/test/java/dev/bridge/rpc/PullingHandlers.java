package dev.bridge.rpc;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;

/** Handlers whose reading a test paces: each pull of a request is queued for the test to run when it chooses. */
public final class PullingHandlers {
  private PullingHandlers() {}

  /** Client-streaming: joins the texts of its requests ({@link Messages}), answered as a {@code type} at the end. */
  public static MethodHandler joining(BlockingQueue<Runnable> pulls, Descriptor type) {
    return ServerCalls.clientStreaming((requests, context) -> {
      var result = new CompletableFuture<DynamicMessage>();
      StringBuilder all = new StringBuilder();
      requests.start(new RequestListener() {
        @Override
        public void onNext(DynamicMessage request) {
          all.append(Messages.text(request));
          pulls.add(() -> requests.request(1));
        }

        @Override
        public void onCompleted() {
          result.complete(Messages.text(type, all.toString()));
        }
      });
      pulls.add(() -> requests.request(1));
      return result;
    });
  }
}
