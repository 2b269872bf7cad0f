package dev.bridge.script;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.CallContext;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.Handlers;
import dev.bridge.rpc.DirectCall;
import dev.bridge.rpc.MethodHandler;
import dev.bridge.rpc.RequestSource;
import dev.bridge.rpc.ResponseSink;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The version of a plugin's script that serves calls now, replaced while calls run (dev mode's
 * reload). Each call goes to the version current when it arrives; calls in progress finish on the
 * version they started on, which is closed once they are done (streams however long they last, unary calls
 * within the drain grace). A call that a retired version turned
 * away before running any of its JavaScript is given to the current version, so a reload never fails
 * a call.
 */
public final class LiveScript implements AutoCloseable {
  private final AtomicReference<ScriptPool> current;
  private final Duration drainGrace;

  /**
   * @param first the version to serve with until the first {@link #replace}
   * @param drainGrace how long a replaced version may take to finish its calls before they fail
   */
  public LiveScript(ScriptPool first, Duration drainGrace) {
    this.current = new AtomicReference<>(first);
    this.drainGrace = drainGrace;
  }

  /** The version serving new calls. */
  public ScriptPool current() {
    return current.get();
  }

  /**
   * Serves new calls with {@code next} from now on, and closes the replaced version in the background
   * once its calls are done: its unary calls have the drain grace, its streams as long as they last.
   */
  public void replace(ScriptPool next) {
    ScriptPool previous = current.getAndSet(next);
    Thread.ofVirtual().name("bridge-drain-" + previous.script().getFileName()).start(() -> previous.retire(drainGrace));
  }

  /**
   * Handlers that find the current version's function at each call, so a method the script did not
   * implement at start-up is served as soon as a new version does.
   */
  public Handlers handlers() {
    return new Handlers() {
      @Override
      public Optional<MethodHandler> find(MethodDescriptor method) {
        return Optional.of((requests, responses, context) -> call(method, requests, responses, context));
      }

      @Override
      public String describeMissing(MethodDescriptor method) {
        return current().handlers().describeMissing(method);
      }
    };
  }

  private void call(MethodDescriptor method, RequestSource requests, ResponseSink responses, CallContext context) {
    ScriptPool version = current();
    Optional<MethodHandler> handler = version.handlers().find(method);
    if (handler.isEmpty()) {
      responses.fail(new CallFailure("UNIMPLEMENTED",
          DirectCall.fullMethodName(method) + " has no handler: " + version.handlers().describeMissing(method)));
      return;
    }
    // Turned away by a retired version before any of its JavaScript ran: the current version takes it.
    handler.get().start(requests, NotStartedRetry.around(responses, () -> current() != version,
        () -> call(method, requests, responses, context)), context);
  }

  /** Closes the current version (replaced ones close themselves). */
  @Override
  public void close() {
    current().close();
  }
}
