package dev.bridge.cli;

import dev.bridge.app.Plugin;
import dev.bridge.app.PluginVersion;
import dev.bridge.reload.FileWatcher;
import dev.bridge.rpc.Broker;
import dev.bridge.schema.SchemaLoadException;
import dev.bridge.script.ConsoleSink;
import dev.bridge.script.HandlerRuleException;
import dev.bridge.script.JsEngine;
import dev.bridge.script.ScriptLoadException;
import io.grpc.ServerServiceDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Dev mode: when the script, a module it imports, a {@code .proto} file or the manifest changes, loads a
 * new version of the plugin beside the one serving, and switches to it only if it loads: new calls go to
 * it at once, calls in progress finish on the old one, which is then closed. A version that fails to
 * load is reported (one ERROR line with the reason) and the old one keeps serving.
 */
final class DevReload implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger("dev.bridge.reload");
  /** Long enough to see an editor's save through (truncate and write, write and rename), short enough not to be felt. */
  static final Duration QUIET = Duration.ofMillis(40);

  private final ServeOptions options;
  private final JsEngine engine;
  private final Path filesRoot;
  private final ConsoleSink console;
  private final Plugin plugin;
  private final Consumer<List<ServerServiceDefinition>> installServices;
  private final FileWatcher watcher;
  private final Broker broker;
  private PluginConfig currentConfig;

  /**
   * @param plugin the plugin serving, {@linkplain Plugin#live live}
   * @param installServices replaces the services the plugin server serves
   * @param firstConfig the configuration its current version was loaded from
   * @param broker the host's broker, which each version's script is given
   */
  DevReload(ServeOptions options, JsEngine engine, Path filesRoot, ConsoleSink console, Plugin plugin,
      Consumer<List<ServerServiceDefinition>> installServices, PluginConfig firstConfig, Broker broker)
      throws IOException {
    this.broker = broker;
    this.options = options;
    this.engine = engine;
    this.filesRoot = filesRoot;
    this.console = console;
    this.plugin = plugin;
    this.installServices = installServices;
    this.currentConfig = firstConfig;
    PluginVersion first = plugin.current();
    // The watcher may report a change at once (an edit saved while the first version loaded): hold
    // changed() off until this object is complete.
    synchronized (this) {
      this.watcher = new FileWatcher(first.contents(), QUIET, this::changed);
      LOG.log(Level.INFO, "dev mode: watching " + first.files().size() + " files for changes",
          Map.of("files", names(first.files())));
    }
  }

  /**
   * Whether dev mode is on: {@code --dev}, or {@code BRIDGE_DEV} set to {@code 1} or {@code true} (the
   * host builds the command line, so the environment is often the only way in).
   */
  static boolean requested(boolean flag, Map<String, String> env) throws StartupException {
    String value = env.getOrDefault("BRIDGE_DEV", "").strip().toLowerCase(java.util.Locale.ROOT);
    return switch (value) {
      case "1", "true" -> true;
      case "", "0", "false" -> flag;
      default -> throw new StartupException("BRIDGE_DEV=" + env.get("BRIDGE_DEV")
          + ": expected 1 or true (dev mode on), 0 or false (off)");
    };
  }

  private synchronized void changed(Set<Path> changed) {
    long started = System.nanoTime();
    String what = String.join(", ", names(changed));
    for (Path file : changed) {
      if (isEmptyModule(file)) {
        // Most likely an editor's truncate-then-write caught in between: the next event brings the content.
        LOG.fine(() -> file + " is empty; waiting for its content before reloading");
        return;
      }
    }
    PluginVersion next;
    PluginConfig config;
    try {
      config = PluginConfig.resolve(options);
      if (!config.handshake().equals(currentConfig.handshake())) {
        LOG.warning("the manifest's handshake changed: that takes effect when the host starts the plugin again");
      }
      next = PluginVersion.load(engine, config.spec().withBroker(broker), filesRoot, console);
    } catch (ScriptLoadException e) {
      Set<Path> watch = new HashSet<>(plugin.current().files());
      watch.addAll(e.modulesRead());
      rewatch(watch);
      failed(what, e.getMessage());
      return;
    } catch (StartupException | SchemaLoadException | HandlerRuleException e) {
      failed(what, e.getMessage());
      return;
    }
    installServices.accept(plugin.replace(next));
    currentConfig = config;
    try {
      watcher.watch(next.contents());
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot watch " + next.files() + ": " + e.getMessage(), e);
    }
    long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
    LOG.log(Level.INFO, "reloaded " + next.spec().script().getFileName() + " in " + millis + " ms (changed: " + what + ")",
        Map.of("changed", names(changed), "reload_ms", millis));
  }

  private static void failed(String what, String reason) {
    LOG.severe("reload after a change of " + what + " failed; the previous version keeps serving: " + reason);
  }

  private void rewatch(Set<Path> files) {
    try {
      watcher.watch(files);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot watch " + files + ": " + e.getMessage(), e);
    }
  }

  private static boolean isEmptyModule(Path file) {
    String name = file.getFileName().toString();
    if (!name.endsWith(".js") && !name.endsWith(".mjs")) {
      return false;
    }
    try {
      return Files.size(file) == 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static List<String> names(Set<Path> files) {
    return files.stream().map(path -> path.getFileName().toString()).sorted().toList();
  }

  @Override
  public void close() {
    watcher.close();
  }
}
