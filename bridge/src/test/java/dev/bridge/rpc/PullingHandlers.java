package dev.bridge.rpc;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/** Handlers of streams of requests for tests, pulling them one at a time. */
public final class PullingHandlers {
  private PullingHandlers() {}

  /**
   * Client-streaming: joins the texts of its requests ({@link Messages}), answered as a {@code type} at the end;
   * each pull of a request is queued in {@code pulls} for the test to run when it chooses.
   */
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

  /**
   * Bidi: answers each request as it comes with {@code answer}'s response (a {@link CallFailure} it throws fails the
   * call after what was sent), pulling the next one after; completes at the half-close. {@code started} sees the
   * call's sink and context first.
   */
  public static MethodHandler echoing(UnaryOperator<DynamicMessage> answer,
      BiConsumer<ResponseSink, CallContext> started) {
    return ServerCalls.bidiStreaming((requests, sink, context) -> {
      started.accept(sink, context);
      requests.start(new RequestListener() {
        @Override
        public void onNext(DynamicMessage request) {
          DynamicMessage response;
          try {
            response = answer.apply(request);
          } catch (CallFailure failure) {
            sink.fail(failure);
            return;
          }
          sink.next(response);
          requests.request(1);
        }

        @Override
        public void onCompleted() {
          sink.complete();
        }
      });
      requests.request(1);
    });
  }
}
