package dev.bridge.cli;

import dev.bridge.cache.Uid;
import dev.bridge.plugin.HclogHandler;
import dev.bridge.plugin.HclogLevel;
import dev.bridge.plugin.InvalidEnvironmentException;
import dev.bridge.script.HeapWatch;
import dev.bridge.script.JsEngine;
import dev.bridge.warm.Frame;
import dev.bridge.warm.InstanceLogs;
import dev.bridge.warm.RuntimeDirectory;
import dev.bridge.warm.WarmBuild;
import dev.bridge.warm.WarmConnection;
import dev.bridge.warm.WarmRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code bridgejs warm status|stop}: the user's warm runtime of this build; {@code bridgejs warm runtime} is the
 * runtime itself, which the warm client starts.
 */
@Command(name = "warm", mixinStandardHelpOptions = true,
    description = "The warm runtime plugins use with BRIDGE_WARM=1: status shows it, stop stops it.")
final class WarmCommand implements Callable<Integer> {
  static final String IDLE_ENV = "BRIDGE_WARM_IDLE";
  static final Duration DEFAULT_IDLE = Duration.ofMinutes(10);

  @Parameters(index = "0", paramLabel = "ACTION",
      description = "status: print the runtime's pid, build, socket and instances; stop: stop it (its plugins end "
          + "as on SIGTERM). (runtime: be the runtime; the warm client starts it.)")
  String action;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Map<String, String> env = System.getenv();
    long uid = Uid.effective();
    Path dir = RuntimeDirectory.choose(env, uid);
    WarmBuild build = WarmBuild.current();
    return switch (action) {
      case "status", "stop" -> ask(action, build.socket(dir));
      case "runtime" -> runtime(env, RuntimeDirectory.prepare(dir, uid), build);
      default -> {
        System.err.println("bridgejs warm: unknown action " + action + "; status or stop");
        yield 2;
      }
    };
  }

  private static int ask(String action, Path socket) throws IOException {
    if (!Files.exists(socket)) {
      System.out.println("no warm runtime of this build is running (" + socket + ")");
      return action.equals("stop") ? 0 : 3;
    }
    Frame first = new Frame(action.equals("stop") ? Frame.Type.STOP : Frame.Type.STATUS, new byte[0]);
    try {
      return WarmConnection.exchange(socket, first, System.out, System.err);
    } catch (IOException e) {
      System.out.println("no warm runtime of this build answers at " + socket + " (" + e.getMessage() + ")");
      return action.equals("stop") ? 0 : 3;
    }
  }

  private static int runtime(Map<String, String> env, Path dir, WarmBuild build)
      throws IOException, InterruptedException {
    System.setOut(System.err);
    HclogLevel level;
    try {
      level = HclogLevel.fromEnv(env);
    } catch (InvalidEnvironmentException e) {
      level = HclogLevel.INFO;
    }
    InstanceLogs.install(new HclogHandler(System.err, level));
    HeapWatch.exitOnUncaughtOutOfMemory();
    Duration idle = idle(env);
    CompletableFuture<JsEngine> engine = CompletableFuture.supplyAsync(JsEngine::create,
        task -> Thread.ofPlatform().daemon().name("bridge-engine-start").start(task));
    WarmRuntime runtime = new WarmRuntime(dir, build, new WarmInstances(engine), idle);
    runtime.bind();
    // An engine that cannot be made would fail every launch: the runtime leaves instead (each waiting launch
    // exits saying why), and the next launch starts a new one.
    engine.whenComplete((made, failure) -> {
      if (failure != null) {
        java.util.logging.Logger.getLogger("dev.bridge.warm").log(java.util.logging.Level.SEVERE,
            "the JavaScript engine could not be made; the warm runtime leaves: " + failure, failure);
        runtime.stop();
      }
    });
    // SIGTERM to the runtime: its plugins end as on SIGTERM, and their clients get their exit codes first.
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
      runtime.stop();
      try {
        runtime.awaitStopped(Duration.ofSeconds(6));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    runtime.serve();
    return 0;
  }

  private static Duration idle(Map<String, String> env) {
    String raw = env.get(IDLE_ENV);
    if (raw == null || raw.isBlank()) {
      return DEFAULT_IDLE;
    }
    try {
      return Units.parseDuration(raw.strip());
    } catch (RuntimeException e) {
      java.util.logging.Logger.getLogger("dev.bridge.warm").warning(IDLE_ENV + "=" + raw + ": not a duration ("
          + e.getMessage() + "); the runtime leaves after " + DEFAULT_IDLE);
      return DEFAULT_IDLE;
    }
  }
}
