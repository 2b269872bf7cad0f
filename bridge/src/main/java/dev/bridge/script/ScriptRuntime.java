package dev.bridge.script;

import dev.bridge.dispatch.CallFailure;
import dev.bridge.dispatch.Handlers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * One loaded version of a plugin's script: one sandboxed GraalJS context (module state is one state,
 * like Node) whose JavaScript all runs on one dedicated thread. Calls from any thread are queued to
 * that thread and answered through futures; the caller never blocks.
 *
 * <p>Designed so that a reload can load a new version next to this one (sharing a {@link JsEngine}),
 * switch over, and then {@link #close(Duration) close} this one, which lets calls in progress finish.
 */
public final class ScriptRuntime implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger("dev.bridge.script");
  private static final AtomicInteger SERIAL = new AtomicInteger();
  /** How long {@link #close()} waits for calls in progress. */
  public static final Duration DEFAULT_CLOSE_GRACE = Duration.ofSeconds(5);

  private final Path script;
  private final JsEngine engine;
  private final boolean ownsEngine;
  private final JsThread thread;
  private final Context context;
  private final ConsoleLineWriter out;
  private final ConsoleLineWriter err;
  private final JsHelpers helpers;
  private final ValueMapping mapping;
  private final Map<String, Value> functions;
  private final Handlers handlers;
  private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Futures are completed off the JS thread, so that callers' continuations never hold it up. */
  private final Executor completions = runnable -> Thread.ofVirtual().name("bridge-script-completion").start(runnable);

  private ScriptRuntime(Path script, JsEngine engine, boolean ownsEngine, JsThread thread, Context context,
      ConsoleLineWriter out, ConsoleLineWriter err, JsHelpers helpers, Map<String, Value> functions) {
    this.script = script;
    this.engine = engine;
    this.ownsEngine = ownsEngine;
    this.thread = thread;
    this.context = context;
    this.out = out;
    this.err = err;
    this.helpers = helpers;
    this.mapping = new ValueMapping(helpers);
    this.functions = functions;
    this.handlers = new ScriptHandlers(this);
  }

  /**
   * Loads a script with an engine of its own, closed with the runtime.
   *
   * @param script the main ES module (evaluated as a module whatever its extension); relative imports
   *     of {@code .js}/{@code .mjs} files under its directory work
   * @param filesRoot the existing directory the {@code fs} global is confined to
   * @param console receives the script's console output
   */
  public static ScriptRuntime load(Path script, Path filesRoot, ConsoleSink console) throws ScriptLoadException {
    JsEngine engine = JsEngine.create();
    try {
      return load(engine, true, script, filesRoot, console);
    } catch (ScriptLoadException | RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  /** Loads a script in a shared engine, which the caller closes after every runtime using it. */
  public static ScriptRuntime load(JsEngine engine, Path script, Path filesRoot, ConsoleSink console)
      throws ScriptLoadException {
    return load(engine, false, script, filesRoot, console);
  }

  private static ScriptRuntime load(JsEngine engine, boolean ownsEngine, Path script, Path filesRoot,
      ConsoleSink console) throws ScriptLoadException {
    Path scriptPath = script.toAbsolutePath().normalize();
    if (!Files.exists(scriptPath)) {
      throw new ScriptLoadException("script file not found: " + script);
    }
    if (!Files.isRegularFile(scriptPath)) {
      throw new ScriptLoadException("script is not a regular file: " + script);
    }
    Path moduleRoot;
    FilesRoot files;
    Source source;
    try {
      moduleRoot = scriptPath.getParent().toRealPath();
      source = Source.newBuilder("js", scriptPath.toFile()).mimeType("application/javascript+module").build();
    } catch (IOException e) {
      throw new ScriptLoadException("cannot read script " + script + ": " + e.getMessage(), e);
    }
    try {
      files = new FilesRoot(filesRoot);
    } catch (IOException e) {
      throw new ScriptLoadException("files directory " + filesRoot + " is not usable: " + e.getMessage(), e);
    }
    String name = "bridge-js-" + SERIAL.incrementAndGet() + "-" + scriptPath.getFileName();
    JsThread thread = new JsThread(name);
    ConsoleLineWriter out = new ConsoleLineWriter(console::stdout);
    ConsoleLineWriter err = new ConsoleLineWriter(console::stderr);
    Context[] created = new Context[1];
    try {
      return thread.call(() -> {
        Context context = SandboxedContext.create(engine, moduleRoot, out, err);
        created[0] = context;
        JsHelpers helpers = Prelude.install(context, new HostFs(files));
        Value exports = context.eval(source);
        Map<String, Value> functions = new LinkedHashMap<>();
        for (String key : exports.getMemberKeys()) {
          Value member = exports.getMember(key);
          if (member.canExecute()) {
            functions.put(key, member);
          }
        }
        return new ScriptRuntime(scriptPath, engine, ownsEngine, thread, context, out, err, helpers,
            Collections.unmodifiableMap(functions));
      });
    } catch (Throwable t) {
      thread.execute(() -> {
        if (created[0] != null) {
          created[0].close(true);
        }
      });
      thread.shutdown();
      out.close();
      err.close();
      if (t instanceof PolyglotException e) {
        throw LoadErrors.fromPolyglot(script, e);
      }
      if (t instanceof Error e) {
        throw e;
      }
      throw new ScriptLoadException("cannot load script " + script + ": " + t, t);
    }
  }

  /** The handlers for the methods of the plugin's services: method {@code Get} is the exported function {@code Get}. */
  public Handlers handlers() {
    return handlers;
  }

  /** The names of the module's exported functions, so that the caller can refuse exports no method matches. */
  public Set<String> exportedFunctions() {
    return functions.keySet();
  }

  /** The script's absolute path. */
  public Path script() {
    return script;
  }

  boolean hasFunction(String name) {
    return functions.containsKey(name);
  }

  /**
   * Runs a call on the JS thread. The task gets the function and completes the future (through
   * {@link #complete}); this method returns at once.
   */
  <T> CompletableFuture<T> submit(String functionName, CallTask<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    if (closed.get()) {
      result.completeExceptionally(new CallFailure("UNAVAILABLE", "the script " + script.getFileName() + " is closed"));
      return result;
    }
    Value function = functions.get(functionName);
    inFlight.add(result);
    result.whenComplete((value, failure) -> inFlight.remove(result));
    try {
      thread.execute(() -> {
        if (result.isDone()) {
          return;
        }
        try {
          task.run(function, result);
        } catch (PolyglotException e) {
          fail(result, e.isCancelled()
              ? new CallFailure("UNAVAILABLE", "the script " + script.getFileName() + " is closed")
              : new CallFailure("INTERNAL", "script call failed: " + e.getMessage(), e));
        } catch (IllegalStateException e) {
          fail(result, new CallFailure("UNAVAILABLE", "the script " + script.getFileName() + " is closed", e));
        } catch (RuntimeException e) {
          LOG.log(Level.SEVERE, "internal error in script call " + functionName, e);
          fail(result, new CallFailure("INTERNAL", "internal error: " + e, e));
        }
      });
    } catch (RejectedExecutionException e) {
      fail(result, new CallFailure("UNAVAILABLE", "the script " + script.getFileName() + " is closed"));
    }
    return result;
  }

  @FunctionalInterface
  interface CallTask<T> {
    /** Runs on the JS thread; completes {@code result} now or later (via {@link #complete}/{@link #fail}). */
    void run(Value function, CompletableFuture<T> result);
  }

  <T> void complete(CompletableFuture<T> future, T value) {
    completions.execute(() -> future.complete(value));
  }

  void fail(CompletableFuture<?> future, Throwable failure) {
    completions.execute(() -> future.completeExceptionally(failure));
  }

  JsHelpers helpers() {
    return helpers;
  }

  ValueMapping mapping() {
    return mapping;
  }

  /** Closes, waiting up to {@link #DEFAULT_CLOSE_GRACE} for calls in progress. */
  @Override
  public void close() {
    close(DEFAULT_CLOSE_GRACE);
  }

  /**
   * Stops taking calls, waits up to {@code grace} for calls in progress (including pending promises),
   * fails the rest with {@code UNAVAILABLE}, then closes the context (cancelling any JavaScript still
   * running), ends the JS thread and, if the runtime owns it, the engine. Idempotent.
   */
  public void close(Duration grace) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    CompletableFuture<?>[] pending = inFlight.toArray(CompletableFuture<?>[]::new);
    try {
      CompletableFuture.allOf(pending).get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warning(() -> inFlight.size() + " call(s) to " + script.getFileName() + " still running at close; failing them");
    } catch (ExecutionException e) {
      // some failed: fine, they are done
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (CompletableFuture<?> future : inFlight.toArray(CompletableFuture<?>[]::new)) {
      future.completeExceptionally(new CallFailure("UNAVAILABLE", "the script " + script.getFileName() + " was closed"));
    }
    CompletableFuture<Void> contextClosed = new CompletableFuture<>();
    try {
      thread.execute(() -> {
        try {
          context.close();
        } catch (PolyglotException | IllegalStateException e) {
          // already cancelled from the closing thread
        } finally {
          contextClosed.complete(null);
        }
      });
    } catch (RejectedExecutionException e) {
      contextClosed.complete(null);
    }
    thread.shutdown();
    try {
      contextClosed.get(1, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // JavaScript still running (an endless loop?): cancel it from here.
      context.close(true);
    } catch (InterruptedException e) {
      context.close(true);
      Thread.currentThread().interrupt();
    }
    try {
      if (!thread.awaitTermination(5_000)) {
        LOG.warning("the JavaScript thread of " + script.getFileName() + " did not end");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    out.close();
    err.close();
    if (ownsEngine) {
      engine.close();
    }
  }

}
