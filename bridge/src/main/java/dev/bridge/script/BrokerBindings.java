package dev.bridge.script;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.bridge.rpc.Broker;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.CallShape;
import dev.bridge.rpc.DirectCall;
import dev.bridge.rpc.Handlers;
import dev.bridge.rpc.RemoteChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * The host side of the {@code broker} global ({@link BrokerPrelude}): finds the services named in the loaded
 * {@code .proto} files, dials and serves through the instance's {@link BrokerSession}, and answers the script on its
 * JS thread, where what the transport reports is queued ({@link ScriptRuntime#runLater}). Nothing here blocks the JS
 * thread: stopping a service, which may wait for its server, runs on a virtual thread.
 */
final class BrokerBindings {
  private final BrokerSession session;
  private final List<FileDescriptor> schema;
  /** Set once the module has loaded; the broker is refused while it loads (ids come in requests anyway). */
  private volatile ScriptRuntime runtime;

  BrokerBindings(Broker broker, List<FileDescriptor> schema) {
    this.session = new BrokerSession(broker);
    this.schema = List.copyOf(schema);
  }

  /** The instance, once loaded. */
  void attach(ScriptRuntime runtime) {
    this.runtime = runtime;
  }

  BrokerSession session() {
    return session;
  }

  JsHelpers helpers() {
    return runtime.helpers();
  }

  ValueMapping mapping() {
    return runtime.mapping();
  }

  /** On the JS thread: the call whose JavaScript asks the broker for something now, or null. */
  ScriptCall currentCall() {
    return runtime.currentCall();
  }

  /**
   * Runs {@code body} on the JS thread, as a task of its own on behalf of {@code owner}, the call that asked for
   * what the task answers (null for none): the JavaScript it resumes is that call's, so a fetch it starts ends with
   * the call.
   */
  void later(String what, ScriptCall owner, Runnable body) {
    runtime.runLater(what, owner, body);
  }

  Value details(List<Any> details) {
    return RemoteCallBinding.details(helpers(), mapping(), details);
  }

  ProxyObject proxy() {
    return ProxyObject.fromMap(Map.of(
        "describe", (ProxyExecutable) args -> describe(args[0].asString()),
        "dial", (ProxyExecutable) args -> {
          dial(Long.parseLong(args[0].asString()), args[1].asString(), args[2], args[3]);
          return null;
        },
        "serve", (ProxyExecutable) args -> serve(args[0].asString(), args[1], args[2], args[3]),
        "stop", (ProxyExecutable) args -> {
          stop(Long.parseLong(args[0].asString()), args[1]);
          return null;
        },
        "close", (ProxyExecutable) args -> {
          long id = Long.parseLong(args[0].asString());
          offThread("broker.close(" + id + ")", () -> session.hangUp(id), args[1]);
          return null;
        }));
  }

  /** The service's methods as {@code [[name, shape], ...]}, or why it cannot be used (a string). */
  private Object describe(String name) {
    if (runtime == null) {
      return "the broker can be used once the module has loaded (from a handler, with an id from a request)";
    }
    Optional<ServiceDescriptor> found = findService(name);
    if (found.isEmpty()) {
      return unknownService(name);
    }
    Value methods = helpers().newArray();
    List<MethodDescriptor> list = found.get().getMethods();
    for (int i = 0; i < list.size(); i++) {
      Value pair = helpers().newArray();
      pair.setArrayElement(0, list.get(i).getName());
      pair.setArrayElement(1, CallShape.of(list.get(i)).label());
      methods.setArrayElement(i, pair);
    }
    return methods;
  }

  private void dial(long id, String name, Value resolve, Value reject) {
    ServiceDescriptor service = findService(name).orElseThrow();
    String call = "broker.dial(" + id + ", \"" + name + "\")";
    ScriptCall owner = currentCall();
    session.dial(id).whenComplete((channel, failure) -> later(call, owner, () -> {
      if (failure != null) {
        CallFailure status = DirectCall.failureOf(failure);
        reject.execute(status.code(), call + ": " + status.getMessage(), details(status.details()));
      } else {
        resolve.execute(channelHandle(channel, service));
      }
    }));
  }

  private ProxyObject channelHandle(RemoteChannel channel, ServiceDescriptor service) {
    return ProxyObject.fromMap(Map.of("start", (ProxyExecutable) args -> {
      MethodDescriptor method = service.findMethodByName(args[0].asString());
      return RemoteCallBinding.start(this, channel, method, args[1], args[2], args[3]);
    }));
  }

  /** Null once started (the id comes to {@code resolve}), else why the handlers were refused. */
  private Object serve(String name, Value handlers, Value resolve, Value reject) {
    if (runtime == null) {
      return "the broker can be used once the module has loaded (from a handler)";
    }
    Optional<ServiceDescriptor> service = findService(name);
    if (service.isEmpty()) {
      return unknownService(name);
    }
    Handlers served;
    try {
      served = BrokerServing.handlers(runtime, service.get(), handlers);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    String call = "broker.serve(\"" + name + "\")";
    ScriptCall owner = currentCall();
    session.serve(List.of(service.get()), served).whenComplete((brokered, failure) -> later(call, owner, () -> {
      if (failure != null) {
        CallFailure status = DirectCall.failureOf(failure);
        reject.execute(status.code(), call + ": " + status.getMessage(), details(status.details()));
      } else {
        resolve.execute((double) brokered.id());
      }
    }));
    return null;
  }

  private void stop(long id, Value resolve) {
    offThread("broker.stop(" + id + ")", () -> session.stop(id), resolve);
  }

  /** Runs {@code action}, which may wait for a server or a connection, off the JS thread; its result to {@code resolve}. */
  private void offThread(String what, java.util.function.BooleanSupplier action, Value resolve) {
    ScriptCall owner = currentCall();
    Thread.ofVirtual().name("bridge-" + what).start(() -> {
      boolean done = action.getAsBoolean();
      later(what, owner, () -> resolve.execute(done));
    });
  }

  /** A service of the loaded files (or of what they import), by full name. */
  private Optional<ServiceDescriptor> findService(String name) {
    Deque<FileDescriptor> files = new ArrayDeque<>(schema);
    Set<FileDescriptor> seen = new HashSet<>();
    while (!files.isEmpty()) {
      FileDescriptor file = files.removeFirst();
      if (!seen.add(file)) {
        continue;
      }
      for (ServiceDescriptor service : file.getServices()) {
        if (service.getFullName().equals(name)) {
          return Optional.of(service);
        }
      }
      files.addAll(file.getDependencies());
    }
    return Optional.empty();
  }

  private String unknownService(String name) {
    if (schema.isEmpty()) {
      return "no service " + name + ": no .proto files are loaded";
    }
    Set<String> services = new LinkedHashSet<>();
    schema.forEach(file -> file.getServices().forEach(service -> services.add(service.getFullName())));
    List<String> files = new ArrayList<>();
    schema.forEach(file -> files.add(file.getName()));
    return "no service " + name + " in the loaded .proto files (" + String.join(", ", files) + "; their services: "
        + (services.isEmpty() ? "none" : String.join(", ", services)) + "); a service dialed or served through the"
        + " broker must be defined in one of the manifest's \"proto\" files";
  }
}
