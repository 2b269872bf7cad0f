package dev.bridge.rpc;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * go-plugin's broker as the script runtime sees it: connections to services the host offers under an id,
 * and services the plugin offers to the host under a new id. Transport-free, so that script code can use it
 * without gRPC types; the protocol side ({@code dev.bridge.plugin.broker}) implements it.
 */
public interface Broker {
  /** How long dial waits for the host's offer of an id, as go-plugin does. */
  Duration OFFER_TIMEOUT = Duration.ofSeconds(5);

  /**
   * A channel to the service the host offers under {@code id}. Completes exceptionally with a
   * {@link CallFailure} UNAVAILABLE naming the id ("the host offered no connection under broker id N within
   * 5 s") if no offer comes in time, or if the connection cannot be made.
   */
  CompletableFuture<RemoteChannel> dial(long id);

  /**
   * Serves the handlers (the same {@link Handlers}/{@link MethodHandler} model as the main server) to the host
   * under a new id, which the returned service names once it is listening and the host has been told.
   */
  CompletableFuture<BrokeredService> serve(List<ServiceDescriptor> services, Handlers handlers);

  /**
   * A broker for when there is no host ({@code bridgejs call}, AOT training, tests): every dial and serve fails
   * with {@link CallFailure}(FAILED_PRECONDITION, reason).
   */
  static Broker unavailable(String reason) {
    return new Broker() {
      @Override
      public CompletableFuture<RemoteChannel> dial(long id) {
        return CompletableFuture.failedFuture(new CallFailure("FAILED_PRECONDITION", reason));
      }

      @Override
      public CompletableFuture<BrokeredService> serve(List<ServiceDescriptor> services, Handlers handlers) {
        return CompletableFuture.failedFuture(new CallFailure("FAILED_PRECONDITION", reason));
      }

      @Override
      public String toString() {
        return "Broker.unavailable(" + reason + ")";
      }
    };
  }
}
