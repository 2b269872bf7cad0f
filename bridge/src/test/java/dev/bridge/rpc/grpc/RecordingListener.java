package dev.bridge.rpc.grpc;

import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.ClientListener;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A client listener for tests: what it heard, waited for with generous timeouts. */
public final class RecordingListener implements ClientListener {
  /** How a call ended: failure null for OK. */
  public record End(CallFailure failure, Map<String, List<String>> trailers, Map<String, List<byte[]>> binaryTrailers) {}

  public final CompletableFuture<Map<String, List<String>>> headers = new CompletableFuture<>();
  public final CompletableFuture<Map<String, List<byte[]>>> binaryHeaders = new CompletableFuture<>();
  public final BlockingQueue<DynamicMessage> messages = new LinkedBlockingQueue<>();
  public final CompletableFuture<End> end = new CompletableFuture<>();

  @Override
  public void onHeaders(Map<String, List<String>> ascii, Map<String, List<byte[]>> binary) {
    headers.complete(ascii);
    binaryHeaders.complete(binary);
  }

  @Override
  public void onMessage(DynamicMessage response) {
    messages.add(response);
  }

  @Override
  public void onClose(CallFailure failure, Map<String, List<String>> trailers, Map<String, List<byte[]>> binary) {
    end.complete(new End(failure, trailers, binary));
  }

  public DynamicMessage nextMessage() throws InterruptedException {
    DynamicMessage message = messages.poll(10, TimeUnit.SECONDS);
    if (message == null) {
      throw new AssertionError("no message within 10 s; ended: " + end.getNow(null));
    }
    return message;
  }

  public End awaitEnd() throws Exception {
    return end.get(10, TimeUnit.SECONDS);
  }

  /** The call's failure, which must be there. */
  public CallFailure awaitFailure() throws Exception {
    CallFailure failure = awaitEnd().failure();
    if (failure == null) {
      throw new AssertionError("the call ended OK, expected a failure");
    }
    return failure;
  }
}
