package dev.bridge.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** One version's channels and services close together, and say why. */
class ScopedBrokerTest {
  /** A channel whose calls hang until it is closed, then end UNAVAILABLE as a transport would. */
  static final class HangingChannel implements RemoteChannel {
    final List<ClientListener> listeners = new ArrayList<>();
    boolean closed;

    @Override
    public synchronized ClientCall start(MethodDescriptor method, ClientCallOptions options, ClientListener listener) {
      if (closed) {
        listener.onClose(new CallFailure("UNAVAILABLE", "shut down"), Map.of(), Map.of());
      } else {
        listeners.add(listener);
      }
      return new ClientCall() {
        @Override
        public void request(int count) {}

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void send(DynamicMessage request) {}

        @Override
        public void halfClose() {}

        @Override
        public void cancel(String reason) {}
      };
    }

    @Override
    public synchronized void close() {
      closed = true;
      listeners.forEach(listener -> listener.onClose(new CallFailure("UNAVAILABLE", "shut down"), Map.of(), Map.of()));
      listeners.clear();
    }
  }

  final HangingChannel channel = new HangingChannel();
  final AtomicBoolean serviceClosed = new AtomicBoolean();
  final Broker broker = new Broker() {
    @Override
    public CompletableFuture<RemoteChannel> dial(long id) {
      return CompletableFuture.completedFuture(channel);
    }

    @Override
    public CompletableFuture<BrokeredService> serve(List<ServiceDescriptor> services, Handlers handlers) {
      return CompletableFuture.completedFuture(new BrokeredService() {
        @Override
        public long id() {
          return 9;
        }

        @Override
        public void close() {
          serviceClosed.set(true);
        }
      });
    }
  };

  static CompletableFuture<CallFailure> call(RemoteChannel channel) {
    CompletableFuture<CallFailure> end = new CompletableFuture<>();
    channel.start(null, ClientCallOptions.none(), new ClientListener() {
      @Override
      public void onMessage(DynamicMessage response) {}

      @Override
      public void onClose(CallFailure failure, Map<String, List<String>> trailers, Map<String, List<byte[]>> binary) {
        end.complete(failure);
      }
    });
    return end;
  }

  @Test
  void closingTheScopeEndsItsCallsSayingWhyAndClosesItsServices() throws Exception {
    ScopedBroker scope = new ScopedBroker(broker);
    RemoteChannel client = scope.dial(7).get();
    BrokeredService service = scope.serve(List.of(), null).get();
    assertEquals(9, service.id());
    CompletableFuture<CallFailure> inProgress = call(client);
    scope.close("closed by a reload");
    assertEquals("the connection to broker id 7 was closed by a reload",
        inProgress.get(10, TimeUnit.SECONDS).getMessage());
    assertTrue(channel.closed);
    assertTrue(serviceClosed.get());
    CallFailure later = call(client).get(10, TimeUnit.SECONDS);
    assertEquals("UNAVAILABLE", later.code());
    assertEquals("the connection to broker id 7 was closed by a reload", later.getMessage());
    ExecutionException e = assertThrows(ExecutionException.class, () -> scope.dial(7).get());
    assertEquals("the connection to broker id 7 was closed by a reload",
        assertInstanceOf(CallFailure.class, e.getCause()).getMessage());
    assertEquals(0, scope.openChannels());
  }

  @Test
  void aChannelClosedByItsUserLeavesTheScope() throws Exception {
    ScopedBroker scope = new ScopedBroker(broker);
    RemoteChannel client = scope.dial(1).get();
    assertEquals(1, scope.openChannels());
    client.close();
    assertEquals(0, scope.openChannels());
    assertEquals("shut down", call(client).get(10, TimeUnit.SECONDS).getMessage());
  }
}
