package dev.bridge.script;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.bridge.dispatch.CallContext;
import dev.bridge.dispatch.CallFailure;
import dev.bridge.dispatch.Handlers;
import dev.bridge.dispatch.MethodHandler;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The version of a plugin's script that serves calls now, replaced while calls run (dev mode's
 * reload). Each call goes to the version current when it arrives; calls in progress finish on the
 * version they started on, which is closed once they are done. A call that a retired version turned
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
   * once its calls are done (or after the drain grace).
   */
  public void replace(ScriptPool next) {
    ScriptPool previous = current.getAndSet(next);
    Thread.ofVirtual().name("bridge-drain-" + previous.script().getFileName()).start(() -> previous.close(drainGrace));
  }

  /**
   * Handlers that find the current version's function at each call, so a method the script did not
   * implement at start-up is served as soon as a new version does.
   */
  public Handlers handlers() {
    return new Handlers() {
      @Override
      public Optional<MethodHandler> find(MethodDescriptor method) {
        return Optional.of((request, context) -> call(method, request, context));
      }

      @Override
      public String describeMissing(MethodDescriptor method) {
        return current().handlers().describeMissing(method);
      }
    };
  }

  private CompletionStage<DynamicMessage> call(MethodDescriptor method, DynamicMessage request, CallContext context) {
    ScriptPool version = current();
    Optional<MethodHandler> handler = version.handlers().find(method);
    if (handler.isEmpty()) {
      return CompletableFuture.failedFuture(new CallFailure("UNIMPLEMENTED",
          UnaryFunctionCall.displayName(method) + " has no handler: " + version.handlers().describeMissing(method)));
    }
    return handler.get().unary(request, context).toCompletableFuture().exceptionallyCompose(failure -> {
      Throwable cause = failure instanceof CompletionException wrapped && wrapped.getCause() != null
          ? wrapped.getCause() : failure;
      if (cause instanceof CallFailure closed && closed.getCause() instanceof ScriptClosedException
          && current() != version) {
        return call(method, request, context);
      }
      return CompletableFuture.failedFuture(cause);
    });
  }

  /** Closes the current version (replaced ones close themselves). */
  @Override
  public void close() {
    current().close();
  }
}
