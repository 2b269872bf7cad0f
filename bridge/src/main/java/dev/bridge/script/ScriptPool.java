package dev.bridge.script;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.CallContext;
import dev.bridge.rpc.Handlers;
import dev.bridge.rpc.MethodHandler;
import dev.bridge.rpc.RequestSource;
import dev.bridge.rpc.ResponseSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The loaded instances of a plugin's script, all serving the same methods. One instance is the
 * default and Node's model: one module state, one JavaScript thread, async handlers interleaving.
 * More instances are an opt-in for CPU-bound handlers that keep no state in memory: each instance is
 * a separate context with its own thread and its <em>own module state</em>, so calls run in parallel,
 * and a variable set by one call is not seen by a call another instance serves. Files written through
 * {@code fs} are seen by all. A call goes to the instance with the fewest calls in progress.
 *
 * <p>The instances share one {@link JsEngine}, so an extra instance costs a context and a module
 * evaluation, not a second parse and compilation.
 *
 * <p>An instance whose script runs out of heap (over maxHeap, seen by {@link HeapWatch}, or a real
 * {@link OutOfMemoryError} on its thread) is dropped and loaded again in its place: its calls that had
 * started fail with {@code RESOURCE_EXHAUSTED}, its module state is lost, and calls queued on it or
 * arriving meanwhile are served by the new instance. The other instances are not touched.
 */
public final class ScriptPool implements AutoCloseable {
  /** More would be a typo: each instance holds a thread and a context's memory. */
  public static final int MAX_INSTANCES = 64;
  private static final Logger LOG = Logger.getLogger("dev.bridge.script");

  private final List<InstanceSlot> instances;
  private final JsEngine ownedEngine;
  private final AtomicInteger rotation = new AtomicInteger();
  private final Handlers handlers = new PoolHandlers();

  private ScriptPool(List<ScriptRuntime> loaded, JsEngine engine, boolean ownsEngine, Path filesRoot,
      ConsoleSink console, ScriptOptions options) {
    InstanceSlot.Reloader reloader = runtime -> ScriptRuntime.load(engine, runtime.script(), filesRoot, console, options);
    this.instances = loaded.stream().map(runtime -> new InstanceSlot(runtime, reloader)).toList();
    this.ownedEngine = ownsEngine ? engine : null;
    HeapWatch.register(this);
  }

  /** Loads {@code count} instances with an engine of their own, closed with the pool. */
  public static ScriptPool load(Path script, Path filesRoot, ConsoleSink console, ScriptOptions options, int count)
      throws ScriptLoadException {
    checkCount(count);
    JsEngine engine = JsEngine.create();
    try {
      return new ScriptPool(loadAll(engine, script, filesRoot, console, options, count), engine, true, filesRoot,
          console, options);
    } catch (ScriptLoadException | RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  /** Loads {@code count} instances in a shared engine, which the caller closes after the pool. */
  public static ScriptPool load(JsEngine engine, Path script, Path filesRoot, ConsoleSink console,
      ScriptOptions options, int count) throws ScriptLoadException {
    checkCount(count);
    return new ScriptPool(loadAll(engine, script, filesRoot, console, options, count), engine, false, filesRoot,
        console, options);
  }

  private static void checkCount(int count) {
    if (count < 1 || count > MAX_INSTANCES) {
      throw new IllegalArgumentException("instances must be from 1 to " + MAX_INSTANCES + ", got " + count);
    }
  }

  /**
   * The first instance alone, so that a broken script is reported once; then the others side by side,
   * each on its own JavaScript thread.
   */
  private static List<ScriptRuntime> loadAll(JsEngine engine, Path script, Path filesRoot, ConsoleSink console,
      ScriptOptions options, int count) throws ScriptLoadException {
    List<ScriptRuntime> loaded = new ArrayList<>();
    loaded.add(ScriptRuntime.load(engine, script, filesRoot, console, options));
    if (count == 1) {
      return loaded;
    }
    try (ExecutorService loaders = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<ScriptRuntime>> pending = new ArrayList<>();
      for (int i = 1; i < count; i++) {
        pending.add(loaders.submit(() -> ScriptRuntime.load(engine, script, filesRoot, console, options)));
      }
      ScriptLoadException failure = null;
      for (Future<ScriptRuntime> future : pending) {
        try {
          loaded.add(future.get());
        } catch (ExecutionException e) {
          if (failure == null) {
            failure = e.getCause() instanceof ScriptLoadException s ? s
                : new ScriptLoadException("cannot load another instance of " + script + ": " + e.getCause(), e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          failure = new ScriptLoadException("interrupted while loading " + script, e);
        }
      }
      if (failure != null) {
        loaded.forEach(ScriptRuntime::close);
        throw failure;
      }
    }
    return loaded;
  }

  /** The handlers for the plugin's methods, each call given to the least busy instance. */
  public Handlers handlers() {
    return handlers;
  }

  /** Found once per method: a call's path does no lookups. */
  private final class PoolHandlers implements Handlers {
    private final Map<MethodDescriptor, Optional<MethodHandler>> found = new ConcurrentHashMap<>();

    @Override
    public Optional<MethodHandler> find(MethodDescriptor method) {
      return found.computeIfAbsent(method, this::bind);
    }

    private Optional<MethodHandler> bind(MethodDescriptor method) {
      if (instances.get(0).runtime().handlers().find(method).isEmpty()) {
        return Optional.empty();  // every instance runs the same script
      }
      List<MethodHandler> perInstance = new ArrayList<>();
      for (InstanceSlot slot : instances) {
        perInstance.add((requests, responses, context) -> slot.start(method, requests, responses, context));
      }
      return Optional.of(perInstance.size() == 1 ? perInstance.get(0) : new Balanced(perInstance));
    }

    @Override
    public String describeMissing(MethodDescriptor method) {
      return instances.get(0).runtime().handlers().describeMissing(method);
    }
  }

  /** One method's handlers, one per instance. */
  private final class Balanced implements MethodHandler {
    private final List<MethodHandler> handlers;

    Balanced(List<MethodHandler> handlers) {
      this.handlers = handlers;
    }

    @Override
    public void start(RequestSource requests, ResponseSink responses, CallContext context) {
      handlers.get(leastBusy()).start(requests, responses, context);
    }
  }

  /** The instance with the fewest calls in progress; ties go round, so idle instances share the work. */
  private int leastBusy() {
    int size = instances.size();
    int start = Math.floorMod(rotation.getAndIncrement(), size);
    int best = start;
    int fewest = Integer.MAX_VALUE;
    for (int i = 0; i < size; i++) {
      int candidate = (start + i) % size;
      int calls = instances.get(candidate).callsInFlight();
      if (calls < fewest) {
        fewest = calls;
        best = candidate;
      }
    }
    return best;
  }

  /** The exports that may serve methods, the same in every instance. */
  public ScriptExports exports() {
    return instances.get(0).runtime().exports();
  }

  /** The instances serving now, for {@link HeapWatch} to choose one to drop (none while one reloads). */
  List<InstanceSlot> slots() {
    return instances;
  }

  /** How many instances serve calls. */
  public int size() {
    return instances.size();
  }

  /** The script and every module it imported. */
  public Set<Path> moduleFiles() {
    return instances.get(0).runtime().moduleFiles();
  }

  /** The modules the script imported, each with the digest of its contents as loaded (see {@link ScriptRuntime}). */
  public Map<Path, String> moduleDigests() {
    return instances.get(0).runtime().moduleDigests();
  }

  /** The script's absolute path. */
  public Path script() {
    return instances.get(0).runtime().script();
  }

  @Override
  public void close() {
    close(ScriptRuntime.DEFAULT_CLOSE_GRACE);
  }

  /** Closes every instance side by side (each waits up to {@code grace} for its calls), then the engine if owned. */
  public void close(Duration grace) {
    close(slot -> slot.close(grace));
  }

  /**
   * Closes a version a reload replaced: as {@link #close(Duration)}, but each instance's streams in progress go on
   * until they end, however long that is ({@link ScriptRuntime#retire}).
   */
  public void retire(Duration grace) {
    close(slot -> slot.retire(grace));
  }

  private void close(java.util.function.Consumer<InstanceSlot> closing) {
    HeapWatch.unregister(this);
    try (ExecutorService closers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (InstanceSlot slot : instances) {
        closers.execute(() -> {
          try {
            closing.accept(slot);
          } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "closing an instance of " + script().getFileName() + " failed", e);
          }
        });
      }
    }
    if (ownedEngine != null) {
      ownedEngine.close();
    }
  }
}
