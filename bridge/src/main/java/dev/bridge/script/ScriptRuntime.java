package dev.bridge.script;

import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.CallContext;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.Handlers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
 * <p>Each call has a time limit ({@link ScriptOptions#callTimeout()}, or the host's deadline when
 * earlier; for a stream, for each of its turns): a handler past it fails with {@code DEADLINE_EXCEEDED}, and
 * if it is still running (an endless loop) its evaluation is interrupted without closing the context, so
 * module state survives and the calls queued behind it run.
 *
 * <p>Designed so that a reload can load a new version next to this one (sharing a {@link JsEngine}),
 * switch over, and then {@link #close(Duration) close} this one, which lets calls in progress finish.
 */
public final class ScriptRuntime implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger("dev.bridge.script");
  private static final AtomicInteger SERIAL = new AtomicInteger();
  /** How long {@link #close()} waits for calls in progress. */
  public static final Duration DEFAULT_CLOSE_GRACE = Duration.ofSeconds(5);
  /** How long interrupting the JS thread may take before we give up and log it (host code does not stop at once). */
  private static final Duration INTERRUPT_WAIT = Duration.ofSeconds(5);
  /**
   * Time limits and script timers of all runtimes. What {@link #schedule} fires runs on a virtual thread, so
   * that interrupting never holds up other timers; a script timer only queues a task ({@link TimerBindings}).
   */
  private static final ScheduledExecutorService TIMERS = timers();
  /** The time limits of calls, stream turns and queued tasks, on {@link #TIMERS}: see {@link Deadlines}. */
  private static final Deadlines LIMITS = new Deadlines(TIMERS,
      action -> Thread.ofVirtual().name("bridge-call-timer").start(action));

  private final Path script;
  private final ScriptOptions options;
  private final JsEngine engine;
  private final boolean ownsEngine;
  private final JsThread thread;
  /*
   * The context and every JavaScript value of it are let go when the instance is dropped: a closed
   * context still holds its modules' state (GraalJS keeps an ES module's environment reachable from the
   * context and its values), so a dropped instance frees its heap only once nothing refers to them.
   */
  private volatile Context context;
  private final ConsoleLineWriter out;
  private final ConsoleLineWriter err;
  private volatile JsHelpers helpers;
  private volatile ValueMapping mapping;
  /** The module's exports that may hold handlers (functions and objects holding functions), by export name. */
  private volatile Map<String, Value> functions;
  private final ScriptExports exports;
  private final TimerBindings timers;
  /** What the script dialed and serves through the broker, closed with the instance. */
  private final BrokerBindings broker;
  private final FetchBindings fetch;
  private final Handlers handlers;
  private final ModuleFileSystem modules;
  private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
  /** The same calls, for a drop, which fails those that started and hands back the others. */
  private final Set<ScriptCall> calls = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Set once the script ran out of heap: the instance is being dropped and takes no more work. */
  private final AtomicBoolean exhausted = new AtomicBoolean();
  /**
   * Told (on a virtual thread) that the script ran out of Java heap, with what the JVM said: its pool
   * drops and reloads the instance. Alone, the runtime drops itself.
   */
  private volatile java.util.function.BiConsumer<ScriptRuntime, String> onHeapExhausted =
      (runtime, detail) -> runtime.drop(call -> new CallFailure("RESOURCE_EXHAUSTED", call
          + ": " + runtime.script.getFileName() + " ran out of Java heap (" + detail + "); the script was closed"));
  /** The JS thread's allocated bytes when {@link HeapWatch} last looked (its thread only). */
  long allocationMark;
  /** Guards {@link #runningTask}, and is held while interrupting so that no other task starts meanwhile. */
  private final Object gate = new Object();
  /** The token of the task on the JS thread right now (a {@link ScriptCall} while its handler starts), or null. */
  private Object runningTask;
  /**
   * JS thread only: the call whose JavaScript runs now, or null: the call of a handler's start or a stream's turn, or
   * the call a task was queued for ({@link #runLater(String, ScriptCall, Runnable)}: its fetches' events, its timers).
   */
  private ScriptCall currentCall;
  /**
   * Futures are completed right where the outcome is known (usually the JS thread): what callers chain
   * on them only hands the response to gRPC, and a hop to another thread per call cost more (Get
   * p50 650 → 400 µs, 8-caller throughput doubled, measured with bench/speed).
   */
  private final Executor completions = Runnable::run;

  private ScriptRuntime(Path script, ScriptOptions options, JsEngine engine, boolean ownsEngine, JsThread thread, Context context,
      ConsoleLineWriter out, ConsoleLineWriter err, JsHelpers helpers, Map<String, Value> functions,
      ScriptExports exports, ModuleFileSystem modules, TimerBindings timers, BrokerBindings broker,
      FetchBindings fetch) {
    this.script = script;
    this.options = options;
    this.engine = engine;
    this.ownsEngine = ownsEngine;
    this.thread = thread;
    this.context = context;
    this.out = out;
    this.err = err;
    this.helpers = helpers;
    this.mapping = new ValueMapping(helpers, options.schema());
    this.functions = functions;
    this.exports = exports;
    this.timers = timers;
    this.broker = broker;
    this.fetch = fetch;
    this.handlers = new ScriptHandlers(this);
    this.modules = modules;
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
    return load(script, filesRoot, console, ScriptOptions.defaults());
  }

  /** Loads a script with an engine of its own, closed with the runtime, and these options. */
  public static ScriptRuntime load(Path script, Path filesRoot, ConsoleSink console, ScriptOptions options)
      throws ScriptLoadException {
    JsEngine engine = JsEngine.create();
    try {
      return load(engine, true, script, filesRoot, console, options);
    } catch (ScriptLoadException | RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  /** Loads a script in a shared engine, which the caller closes after every runtime using it. */
  public static ScriptRuntime load(JsEngine engine, Path script, Path filesRoot, ConsoleSink console)
      throws ScriptLoadException {
    return load(engine, false, script, filesRoot, console, ScriptOptions.defaults());
  }

  /** Loads a script in a shared engine with these options. */
  public static ScriptRuntime load(JsEngine engine, Path script, Path filesRoot, ConsoleSink console,
      ScriptOptions options) throws ScriptLoadException {
    return load(engine, false, script, filesRoot, console, options);
  }

  private static ScriptRuntime load(JsEngine engine, boolean ownsEngine, Path script, Path filesRoot,
      ConsoleSink console, ScriptOptions options) throws ScriptLoadException {
    java.util.Objects.requireNonNull(options, "options");
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
      files = new FilesRoot(filesRoot, options.permissions());
    } catch (IOException e) {
      throw new ScriptLoadException("files directory " + filesRoot + " is not usable: " + e.getMessage(), e);
    }
    ModuleFileSystem modules = new ModuleFileSystem(moduleRoot);
    String name = "bridge-js-" + SERIAL.incrementAndGet() + "-" + scriptPath.getFileName();
    JsThread thread = new JsThread(name);
    ConsoleLevelTag consoleLevel = new ConsoleLevelTag();
    ConsoleLineWriter out = new ConsoleLineWriter(line -> console.line(consoleLevel.levelOr(ConsoleLevel.INFO), line));
    ConsoleLineWriter err = new ConsoleLineWriter(line -> console.line(consoleLevel.levelOr(ConsoleLevel.ERROR), line));
    TimerBindings timers = new TimerBindings(TIMERS);
    BrokerBindings broker = new BrokerBindings(options.broker(), options.schema());
    FetchBindings fetch = new FetchBindings(options.permissions());
    Context[] created = new Context[1];
    try {
      return thread.call(() -> {
        Context context = SandboxedContext.create(engine, modules, out, err);
        created[0] = context;
        CommonJsModules.install(context, modules);
        JsHelpers helpers = Prelude.install(context, new HostFs(files), consoleLevel, timers, broker,
            options.args(), fetch, new EnvBindings(options.permissions(), options.environment()));
        Value exports = LoadWatchdog.evaluate(context, source, options.loadTimeout(), ScriptRuntime::schedule);
        Map<String, Value> functions = new LinkedHashMap<>();
        Set<String> flat = new java.util.HashSet<>();
        Map<String, Set<String>> objects = new LinkedHashMap<>();
        for (String key : exports.getMemberKeys()) {
          Value member = exports.getMember(key);
          if (member.canExecute()) {
            functions.put(key, member);
            flat.add(key);
          } else {
            Set<String> held = functionsHeld(member);
            if (!held.isEmpty()) {
              functions.put(key, member);
              objects.put(key, held);
            }
          }
        }
        ScriptRuntime runtime = new ScriptRuntime(scriptPath, options, engine, ownsEngine, thread, context, out, err,
            helpers, Collections.unmodifiableMap(functions), new ScriptExports(flat, objects), modules, timers, broker, fetch);
        timers.runWith(runtime::runLater, runtime::currentCall);
        broker.attach(runtime);
        fetch.attach(runtime);
        thread.onOutOfMemory(e -> runtime.heapExhausted(String.valueOf(e.getMessage())));
        runtime.allocationMark = thread.allocatedBytes();
        return runtime;
      });
    } catch (Throwable t) {
      timers.close();
      fetch.close();
      thread.execute(() -> {
        if (created[0] != null) {
          created[0].close(true);
        }
      });
      thread.shutdown();
      out.close();
      err.close();
      ScriptLoadException failure;
      if (t instanceof LoadWatchdog.LoadTimeoutException e) {
        failure = LoadErrors.tooSlow(script, e.limit, e.getCause());
      } else if (t instanceof PolyglotException e) {
        failure = LoadErrors.fromPolyglot(script, e);
      } else if (t instanceof Error e) {
        throw e;
      } else {
        failure = new ScriptLoadException("cannot load script " + script + ": " + t, t);
      }
      Set<Path> read = new java.util.HashSet<>(modules.modulesRead());
      read.add(scriptPath);
      throw failure.withModulesRead(read);
    }
  }

  /**
   * The names of an exported object's function-valued own properties: a service object's handlers. Empty for
   * anything else (arrays, host values, data), which {@link HandlerRule} then ignores.
   */
  static Set<String> functionsHeld(Value member) {
    if (member == null || member.isNull() || !member.hasMembers() || member.hasArrayElements() || member.isHostObject()
        || member.isProxyObject()) {
      return Set.of();
    }
    Set<String> held = new java.util.TreeSet<>();
    for (String key : member.getMemberKeys()) {
      Value value = member.getMember(key);
      if (value != null && value.canExecute()) {
        held.add(key);
      }
    }
    return held;
  }

  /** The handlers for the methods of the plugin's services, as {@link HandlerRule} finds them. */
  public Handlers handlers() {
    return handlers;
  }

  /** The names of the module's exported functions, so that the caller can refuse exports no method matches. */
  public Set<String> exportedFunctions() {
    return exports.functions();
  }

  /** The module's exports that may serve methods, for {@link HandlerRule}. */
  public ScriptExports exports() {
    return exports;
  }

  /** The options the runtime was loaded with. */
  public ScriptOptions options() {
    return options;
  }

  /** The script's absolute path. */
  public Path script() {
    return script;
  }

  /** The script and every module it imported (real paths): what a change of would need a reload. */
  public Set<Path> moduleFiles() {
    Set<Path> files = new java.util.HashSet<>(modules.modulesRead());
    files.add(script);
    return Set.copyOf(files);
  }

  /** The modules the script imported (real paths), each with the digest of its contents as loaded. */
  public Map<Path, String> moduleDigests() {
    return modules.moduleDigests();
  }

  /** Calls queued or running (those whose outcome is not decided yet). */
  int callsInFlight() {
    return inFlight.size();
  }

  /** Timers armed and not yet fired or cleared. */
  int timersPending() {
    return timers.pending();
  }


  /**
   * Runs a call on the JS thread. The task gets the function and ends the call (through
   * {@link ScriptCall#complete}/{@link ScriptCall#fail}), now or later; this method returns at once.
   * A unary call's time limit starts when the task starts; a stream's ({@code stream}) applies to each of its
   * turns ({@link #runTurn}), this task being the first. The host's cancellation ends it whenever it comes.
   */
  CompletableFuture<DynamicMessage> submit(ExportedHandler.Source target, String displayName, CallContext callContext,
      boolean stream, CallTask task) {
    ScriptCall call = new ScriptCall(this, displayName, callContext, stream);
    if (closed.get()) {
      call.fail(notStarted());
      return call.result();
    }
    Map<String, Value> exported = functions;
    if (exported == null) {
      call.fail(notStarted());
      return call.result();
    }
    ExportedHandler function = target.in(exported);
    CompletableFuture<DynamicMessage> result = call.result();
    inFlight.add(result);
    calls.add(call);
    result.whenComplete((value, failure) -> {
      inFlight.remove(result);
      calls.remove(call);
    });
    callContext.cancellation().whenCancelled(call::cancel);
    try {
      thread.execute(() -> {
        Deadlines.Limit watchdog = stream ? call.armTurn() : null;
        try {
          runTask(call, () -> {
            if (!call.ended() && call.start()) {
              runCallTask(call, () -> task.run(function, call), this::notStarted);
            }
          });
        } finally {
          if (watchdog != null) {
            watchdog.lift();
          }
        }
      });
    } catch (RejectedExecutionException e) {
      call.fail(notStarted());
    }
    return result;
  }

  /**
   * Queues one turn of a stream (from any thread): the JavaScript of that call run on the JS thread, limited by
   * the call timeout ({@link ScriptCall#armTurn}). Skipped once the call ended; in a closed runtime it is dropped,
   * the call having been ended by the close.
   */
  void runTurn(ScriptCall call, Runnable body) {
    try {
      thread.execute(() -> {
        if (call.ended()) {
          return;
        }
        Deadlines.Limit watchdog = call.armTurn();
        try {
          runTask(call, () -> runCallTask(call, body, () -> closedMeanwhile(call)));
        } finally {
          watchdog.lift();
        }
      });
    } catch (RejectedExecutionException e) {
      call.fail(closedMeanwhile(call));
    }
  }

  /** Not {@link #notStarted()}: the handler ran, so the call must not be given to another instance. */
  private CallFailure closedMeanwhile(ScriptCall call) {
    return new CallFailure("UNAVAILABLE", call.displayName() + ": the script " + script.getFileName() + " was closed");
  }

  /** On the JS thread: runs a task of a call; what escapes it fails the call ({@code closed}: the context was). */
  private void runCallTask(ScriptCall call, Runnable body, java.util.function.Supplier<CallFailure> closed) {
    try {
      body.run();
    } catch (PolyglotException e) {
      if (HeapExhaustion.is(e)) {
        heapExhausted(e.getMessage());
        return;
      }
      call.fail(e.isCancelled()
          ? new CallFailure("UNAVAILABLE", "the script " + script.getFileName() + " is closed")
          : e.isInterrupted()
          ? new CallFailure("DEADLINE_EXCEEDED", call.displayName() + ": interrupted")
          : new CallFailure("INTERNAL", "script call failed: " + e.getMessage(), e));
    } catch (IllegalStateException e) {
      call.fail(closed.get());
    } catch (RuntimeException e) {
      call.fail(new CallFailure("INTERNAL", "internal error: " + e, e));
    } catch (OutOfMemoryError e) {
      heapExhausted(String.valueOf(e.getMessage()));
    }
  }

  private CallFailure notStarted() {
    String name = script.getFileName().toString();
    return new CallFailure("UNAVAILABLE", "the script " + name + " is closed", new ScriptClosedException(name));
  }

  @FunctionalInterface
  interface CallTask {
    /** Runs on the JS thread; ends the call now or later. */
    void run(ExportedHandler function, ScriptCall call);
  }

  /** On the JS thread: runs one task, known by its token while it runs so that it alone can be interrupted. */
  private void runTask(Object token, Runnable body) {
    runTask(token, token instanceof ScriptCall call ? call : null, body);
  }

  /** As {@link #runTask(Object, Runnable)}, the JavaScript running on behalf of {@code owner} (a call, or null). */
  private void runTask(Object token, ScriptCall owner, Runnable body) {
    synchronized (gate) {
      runningTask = token;
    }
    ScriptCall outer = currentCall;
    currentCall = owner;
    try {
      body.run();
    } finally {
      currentCall = outer;
      synchronized (gate) {
        runningTask = null;
      }
    }
  }

  /**
   * On the JS thread: the call whose JavaScript is running now, if it has not ended; null for a task of no call
   * (module code, a timer set outside a call). What a call's own events run (its requests, its fetches' responses,
   * its timers, the broker's answers to what it asked) is its JavaScript too; a promise that several calls await
   * continues in the call whose task settled it.
   */
  ScriptCall currentCall() {
    ScriptCall call = currentCall;
    return call == null || call.ended() ? null : call;
  }

  /** Whether the task with this token is on the JS thread right now. */
  boolean isRunning(Object token) {
    synchronized (gate) {
      return runningTask == token;
    }
  }

  /**
   * Interrupts the JavaScript running on the JS thread if it is the task with this token, waiting up to
   * {@link #INTERRUPT_WAIT} for it to stop; the context stays open. Never call on the JS thread.
   */
  void interruptIfRunning(Object token) {
    if (thread.isCurrent()) {
      throw new IllegalStateException("the JS thread cannot interrupt itself");
    }
    synchronized (gate) {
      if (runningTask != token || closed.get()) {
        return;
      }
      Context running = context;
      if (running == null) {
        return;  // dropped
      }
      try {
        running.interrupt(INTERRUPT_WAIT);
        LOG.fine(() -> "interrupting " + script.getFileName() + " also dropped the promise reactions its JavaScript"
            + " had queued in that run (GraalJS empties its job queue): a call waiting on a promise that the"
            + " interrupted code resolved ends only at its own time limit");
      } catch (TimeoutException e) {
        LOG.warning(() -> "the JavaScript of " + script.getFileName() + " did not stop within "
            + ScriptOptions.describe(INTERRUPT_WAIT) + " of being interrupted (busy in host code?)");
      } catch (PolyglotException | IllegalStateException e) {
        // closed meanwhile: nothing left to interrupt
      }
    }
  }

  /**
   * Queues a task that is not a call (such as firing a signal's listeners) on the JS thread; like a
   * handler it is interrupted if it runs longer than the call timeout. What it throws is logged.
   */
  void runLater(String what, Runnable body) {
    runLater(what, null, body);
  }

  /** As {@link #runLater(String, Runnable)}, on behalf of {@code owner} ({@link #currentCall()} while it runs). */
  void runLater(String what, ScriptCall owner, Runnable body) {
    Object token = new Object();
    try {
      thread.execute(() -> {
        Deadlines.Limit watchdog = limit(options.callTimeout(), () -> {
          if (isRunning(token)) {
            LOG.warning(() -> what + " ran longer than " + ScriptOptions.describe(options.callTimeout())
                + " and had to be interrupted");
            interruptIfRunning(token);
          }
        });
        try {
          runTask(token, owner, body);
        } catch (PolyglotException e) {
          if (HeapExhaustion.is(e)) {
            heapExhausted(e.getMessage());
          } else if (!e.isCancelled() && !e.isInterrupted()) {
            LOG.log(Level.WARNING, what + " failed: " + e.getMessage(), e);
          }
        } catch (IllegalStateException e) {
          // the context was closed
        } finally {
          watchdog.lift();
        }
      });
    } catch (RejectedExecutionException e) {
      // closed: nobody is left to tell
    }
  }

  /**
   * The script ran out of Java heap (a real {@link OutOfMemoryError}, on the JS thread): the instance
   * must go, since its module state still holds what filled the heap. Once; the drop runs on a virtual
   * thread, since the JS thread cannot close its own context.
   */
  void heapExhausted(String detail) {
    if (exhausted.compareAndSet(false, true)) {
      Thread.ofVirtual().name("bridge-heap-exhausted").start(() -> onHeapExhausted.accept(this, detail));
    }
  }

  /** Who drops this instance when its script runs out of heap (its pool). */
  void onHeapExhausted(java.util.function.BiConsumer<ScriptRuntime, String> handler) {
    this.onHeapExhausted = handler;
  }

  /** Whether the instance ran out of heap or was dropped: it serves no more calls. */
  boolean exhausted() {
    return exhausted.get();
  }

  /** The bytes its JavaScript allocated since it loaded (its JS thread's). */
  long allocatedBytes() {
    return thread.allocatedBytes();
  }

  /**
   * Drops the instance at once, for running out of heap: every call whose handler started fails with
   * {@code reasonFor(its method)} (its JavaScript ran, and may have been what filled the heap), calls
   * still queued fail as not started ({@link ScriptClosedException}), which its pool gives to the
   * instance loaded in its place; then the context is cancelled and closed, releasing its module state.
   * Never call on the JS thread.
   *
   * @return how many started calls failed
   */
  int drop(java.util.function.Function<String, CallFailure> reasonFor) {
    exhausted.set(true);
    if (!closed.compareAndSet(false, true)) {
      return 0;
    }
    int failed = 0;
    for (ScriptCall call : calls.toArray(ScriptCall[]::new)) {
      if (call.started()) {
        if (call.fail(reasonFor.apply(call.displayName()))) {
          failed++;
        }
      } else {
        call.fail(notStarted());
      }
    }
    timers.close();
    fetch.close();
    broker.session().close("the connection was closed: the script " + script.getFileName()
        + " ran out of Java heap and its instance was dropped");
    thread.shutdownNow();  // queued tasks would only find their calls ended
    try {
      context.close(true);
    } catch (PolyglotException | IllegalStateException e) {
      // cancelled meanwhile: closed all the same
    }
    try {
      if (!thread.awaitTermination(5_000)) {
        LOG.warning("the JavaScript thread of " + script.getFileName() + " did not end after its instance was dropped");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ScriptCall call : calls.toArray(ScriptCall[]::new)) {
      call.forget();
    }
    functions = null;
    mapping = null;
    helpers = null;
    context = null;
    out.close();
    err.close();
    if (ownsEngine) {
      engine.close();
    }
    return failed;
  }

  /** Runs {@code action} on a virtual thread after {@code delay} unless lifted first: a limit nearly always lifted. */
  static Deadlines.Limit limit(Duration delay, Runnable action) {
    return LIMITS.after(delay, action);
  }

  /** Runs {@code action} on a virtual thread after {@code delay}. */
  static ScheduledFuture<?> schedule(Duration delay, Runnable action) {
    return TIMERS.schedule(() -> {
      Thread.ofVirtual().name("bridge-call-timer").start(action);
    }, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
  }

  private static ScheduledExecutorService timers() {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread t = new Thread(runnable, "bridge-call-timers");
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
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
   * fails the rest with {@code UNAVAILABLE}, cancels the script's pending timers, then closes the context
   * (cancelling any JavaScript still running), ends the JS thread and, if the runtime owns it, the
   * engine. Idempotent.
   */
  public void close(Duration grace) {
    close(grace, false);
  }

  /**
   * Closes a version that a reload replaced: as {@link #close(Duration)}, except that its streams in progress are
   * not cut by the grace but may last as long as the host keeps them; it closes once the last one ends.
   */
  public void retire(Duration grace) {
    close(grace, true);
  }

  private static CompletableFuture<?>[] results(List<ScriptCall> calls) {
    return calls.stream().map(ScriptCall::result).toArray(CompletableFuture<?>[]::new);
  }

  private void close(Duration grace, boolean streamsLast) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (streamsLast) {
      // A reload replaces the version at once, its brokered services and connections too (the new version serves
      // and dials its own): what the replaced version still runs sees its calls on them fail, saying why.
      broker.session().close("the connection was closed by a reload: the version of " + script.getFileName()
          + " that dialed it was replaced (the new version dials again)");
    }
    List<ScriptCall> bounded = new ArrayList<>();
    List<ScriptCall> streams = new ArrayList<>();
    for (ScriptCall call : calls.toArray(ScriptCall[]::new)) {
      (streamsLast && call.stream() ? streams : bounded).add(call);
    }
    try {
      CompletableFuture.allOf(results(bounded)).get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warning(() -> bounded.stream().filter(call -> !call.ended()).count() + " call(s) to " + script.getFileName()
          + " still running at close; failing them");
    } catch (ExecutionException e) {
      // some failed: fine, they are done
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ScriptCall call : bounded) {
      call.fail(new CallFailure("UNAVAILABLE", "the script " + script.getFileName() + " was closed"));
    }
    if (!streams.isEmpty()) {
      LOG.fine(() -> streams.size() + " stream(s) of the replaced " + script.getFileName() + " go on until they end");
      try {
        CompletableFuture.allOf(results(streams)).exceptionally(failure -> null).get();
      } catch (ExecutionException e) {
        // they ended
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // Shutting down, only now, as the timers: the calls given their grace may have been using the broker's clients.
    broker.session().close("the connection was closed: the script " + script.getFileName() + " was closed");
    timers.close();
    fetch.close();
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
