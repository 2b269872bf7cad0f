package dev.bridge.script;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.CallContext;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.DirectCall;
import dev.bridge.rpc.MethodHandler;
import dev.bridge.rpc.RequestSource;
import dev.bridge.rpc.ResponseSink;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * One instance of a {@link ScriptPool}, which can be dropped and loaded again in place when its script
 * runs out of heap. Calls arriving while the new instance loads wait for it; calls the dropped instance
 * had queued but not started are given to it, as dev mode's reload does ({@link LiveScript}).
 */
final class InstanceSlot {
  private static final Logger LOG = Logger.getLogger("dev.bridge.script");

  /** Loads an instance in place of a dropped one. */
  @FunctionalInterface
  interface Reloader {
    ScriptRuntime load(ScriptRuntime dropped) throws ScriptLoadException;
  }

  /** The serving instance's handlers, found once per method. */
  private record Bound(ScriptRuntime runtime, Map<MethodDescriptor, MethodHandler> handlers) {}

  private final Reloader reloader;
  private volatile Bound serving;
  /** Completed with the new instance; null while one serves. Written under this; read on every call. */
  private volatile CompletableFuture<ScriptRuntime> reloading;
  private boolean closed;

  InstanceSlot(ScriptRuntime first, Reloader reloader) {
    this.reloader = reloader;
    serve(first);
  }

  private void serve(ScriptRuntime runtime) {
    runtime.onHeapExhausted(this::outOfMemory);
    serving = new Bound(runtime, new ConcurrentHashMap<>());
  }

  /** The instance serving now (the dropped one while its successor loads). */
  ScriptRuntime runtime() {
    return serving.runtime();
  }

  boolean isReloading() {
    return reloading != null;
  }

  /** Calls in progress; a slot still loading its instance counts as very busy. */
  int callsInFlight() {
    return isReloading() ? Integer.MAX_VALUE / 2 : serving.runtime().callsInFlight();
  }

  /** Starts a call on the instance serving now; it stays there (a stream is pinned to its instance). */
  void start(MethodDescriptor method, RequestSource requests, ResponseSink responses, CallContext context) {
    CompletableFuture<ScriptRuntime> pending = reloading;
    if (pending != null) {
      pending.whenComplete((loaded, failure) -> {
        if (failure != null) {
          responses.fail(DirectCall.failureOf(failure));
        } else {
          start(method, requests, responses, context);
        }
      });
      return;
    }
    Bound bound = serving;
    MethodHandler handler = bound.handlers().computeIfAbsent(method, m -> bound.runtime().handlers().find(m)
        .orElseThrow(() -> new IllegalStateException("no handler for " + m.getFullName())));
    // Queued on the dropped instance: none of its JavaScript ran, the instance loaded in its place takes it.
    handler.start(requests, NotStartedRetry.around(responses, () -> bound.runtime().exhausted() && !isClosed(),
        () -> start(method, requests, responses, context)), context);
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  /**
   * Drops {@code expected} if it still serves here (see {@link ScriptRuntime#drop}) and loads another
   * instance in its place in the background; logs one error line, {@code why} followed by what becomes
   * of the calls. Never call on the JS thread.
   *
   * @return false when {@code expected} no longer serves here (already dropped, or the pool closed)
   */
  boolean dropAndReload(ScriptRuntime expected, Function<String, CallFailure> reasonFor, String why) {
    CompletableFuture<ScriptRuntime> next = new CompletableFuture<>();
    synchronized (this) {
      if (closed || reloading != null || serving.runtime() != expected) {
        return false;
      }
      reloading = next;
    }
    // Logged first: a `bridgejs call` ends as soon as its call fails, and this line says why.
    LOG.severe(why + "; its calls in progress fail with RESOURCE_EXHAUSTED and a new instance is loaded in its place"
        + " (the module state of the dropped one is lost)");
    expected.drop(reasonFor);
    Thread.ofVirtual().name("bridge-reload-" + expected.script().getFileName()).start(() -> reload(expected, next));
    return true;
  }

  private void reload(ScriptRuntime dropped, CompletableFuture<ScriptRuntime> next) {
    ScriptRuntime loaded;
    try {
      loaded = reloader.load(dropped);
    } catch (ScriptLoadException | RuntimeException | OutOfMemoryError e) {
      if (!isClosed()) {
        HeapWatch.exit("cannot load " + dropped.script().getFileName() + " again after dropping an instance that ran"
            + " out of heap, so the plugin exits: " + e.getMessage());
      }
      next.completeExceptionally(new CallFailure("UNAVAILABLE", "the script " + dropped.script().getFileName()
          + " was closed", new ScriptClosedException(dropped.script().getFileName().toString())));
      return;
    }
    synchronized (this) {
      if (!closed) {
        serve(loaded);  // before reloading is cleared: a call seeing no reload must see the new instance
      }
      reloading = null;
    }
    if (isClosed()) {
      loaded.close(Duration.ZERO);
      next.completeExceptionally(new CallFailure("UNAVAILABLE", "the script " + dropped.script().getFileName()
          + " was closed", new ScriptClosedException(dropped.script().getFileName().toString())));
      return;
    }
    LOG.fine(() -> "loaded " + loaded.script().getFileName() + " again in place of the dropped instance");
    next.complete(loaded);
  }

  /** A real {@link OutOfMemoryError} on the instance's thread (on a virtual thread). */
  private void outOfMemory(ScriptRuntime runtime, String detail) {
    String name = runtime.script().getFileName().toString();
    HeapLimit limit = HeapWatch.limit();
    String under = limit == null ? "" : " (" + limit.setting() + ")";
    dropAndReload(runtime, call -> new CallFailure("RESOURCE_EXHAUSTED", call + ": " + name + " ran out of Java heap ("
        + detail + ")" + under + "; its instance was dropped and loaded again, losing its module state"),
        name + " ran out of Java heap (" + detail + ")" + under + ": dropped its instance");
  }

  /** Closes the instance serving, or the one loading once it has loaded. */
  void close(Duration grace) {
    closing().close(grace);
  }

  /** Closes as {@link #close}, but lets the instance's streams go on until they end ({@link ScriptRuntime#retire}). */
  void retire(Duration grace) {
    closing().retire(grace);
  }

  private synchronized ScriptRuntime closing() {
    closed = true;
    return serving.runtime();
  }
}
