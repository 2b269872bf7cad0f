package dev.bridge.script;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.ClientCall;
import dev.bridge.rpc.ClientCallOptions;
import dev.bridge.rpc.ClientListener;
import dev.bridge.rpc.RemoteChannel;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * One call a script makes on a dialed client ({@link BrokerPrelude}'s {@code Call}): the transport's events reach
 * the script's {@code onEvent(kind, ...)} on the JS thread, each as a task of its own and in order ({@code message},
 * {@code ready}, {@code close} with the status; those arriving together share a task); the script drives the call through the handle ({@code request},
 * {@code isReady}, {@code send}, {@code halfClose}, {@code cancel}), on the JS thread too.
 */
final class RemoteCallBinding implements ClientListener {
  private final BrokerBindings broker;
  private final MethodDescriptor method;
  private final Value onEvent;
  /** The call whose JavaScript started this one (null for none): its events continue that call's JavaScript. */
  private final ScriptCall owner;
  /** The transport's events not yet handed to the script, in order. */
  private final Queue<Runnable> events = new ConcurrentLinkedQueue<>();
  /** Set while a task that hands them in is queued. */
  private final AtomicBoolean handing = new AtomicBoolean();
  private ClientCall call;

  private RemoteCallBinding(BrokerBindings broker, MethodDescriptor method, Value onEvent) {
    this.broker = broker;
    this.method = method;
    this.onEvent = onEvent;
    this.owner = broker.currentCall();
  }

  /**
   * On the JS thread: starts the call; returns its handle, or why it cannot start (a string, for a TypeError).
   *
   * @param deadline epoch milliseconds, or null
   * @param metadata the options' metadata object, or null
   */
  static Object start(BrokerBindings broker, RemoteChannel channel, MethodDescriptor method, Value deadline,
      Value metadata, Value onEvent) {
    ClientCallOptions options;
    try {
      ClientMetadata headers = ClientMetadata.of(broker.helpers(), metadata);
      Optional<Instant> at = deadline == null || deadline.isNull() ? Optional.empty()
          : Optional.of(Instant.ofEpochMilli((long) deadline.asDouble()));
      options = new ClientCallOptions(at, headers.ascii, headers.binary);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    RemoteCallBinding binding = new RemoteCallBinding(broker, method, onEvent);
    try {
      binding.call = channel.start(method, options, binding);
    } catch (IllegalArgumentException e) {
      return "options.metadata: " + e.getMessage();
    }
    return binding.handle();
  }

  private ProxyObject handle() {
    return ProxyObject.fromMap(Map.of(
        "request", (ProxyExecutable) args -> {
          call.request(args[0].asInt());
          return null;
        },
        "isReady", (ProxyExecutable) args -> call.isReady(),
        "send", (ProxyExecutable) args -> {
          DynamicMessage request;
          try {
            request = broker.mapping().toMessage(method.getInputType(), args[0], args[1].asString());
          } catch (MappingException e) {
            return e.getMessage();
          }
          call.send(request);
          return null;
        },
        "halfClose", (ProxyExecutable) args -> {
          call.halfClose();
          return null;
        },
        "cancel", (ProxyExecutable) args -> {
          call.cancel(args[0].asString());
          return null;
        }));
  }

  private String displayName() {
    return HandlerResults.displayName(method);
  }

  /**
   * Queues an event for the script: those that arrive together are handed in by one task on the JS thread, for up
   * to {@link ScriptCall#BATCH_NANOS} (a task per response cost a fast stream most of its throughput).
   */
  private void event(Runnable toScript) {
    events.add(toScript);
    if (handing.compareAndSet(false, true)) {
      broker.later(displayName() + ": the call's events", owner, this::handIn);
    }
  }

  /** On the JS thread. */
  private void handIn() {
    handing.set(false);
    long started = System.nanoTime();
    for (Runnable next = events.poll(); next != null; next = events.poll()) {
      next.run();
      if (System.nanoTime() - started >= ScriptCall.BATCH_NANOS && !events.isEmpty()) {
        if (handing.compareAndSet(false, true)) {
          broker.later(displayName() + ": the call's events", owner, this::handIn);
        }
        return;
      }
    }
  }

  @Override
  public void onMessage(DynamicMessage response) {
    event(() -> onEvent.execute("message", broker.mapping().toJs(response)));
  }

  @Override
  public void onReady() {
    event(() -> onEvent.execute("ready"));
  }

  @Override
  public void onClose(CallFailure failure, Map<String, List<String>> trailers, Map<String, List<byte[]>> binary) {
    CallFailure status = failure;
    String closedWhy = broker.session().closedWhy();
    if (status != null && status.code().equals("UNAVAILABLE") && closedWhy != null) {
      status = new CallFailure("UNAVAILABLE", displayName() + ": " + closedWhy, failure);
    }
    CallFailure end = status;
    event(() -> {
      if (end == null) {
        onEvent.execute("close", null);
      } else {
        onEvent.execute("close", end.code(), end.getMessage(), broker.details(end.details()));
      }
    });
  }

  /** The details of a failure as the script reads them: objects in the {@code Any} shape ({@code ValueMapping}). */
  static Value details(JsHelpers js, ValueMapping mapping, List<Any> details) {
    Value array = js.newArray();
    for (int i = 0; i < details.size(); i++) {
      array.setArrayElement(i, mapping.toJs(details.get(i)));
    }
    return array;
  }
}
