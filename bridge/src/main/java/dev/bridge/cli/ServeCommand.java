package dev.bridge.cli;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.bridge.app.Plugin;
import dev.bridge.app.PluginVersion;
import dev.bridge.plugin.AutoMtlsSetup;
import dev.bridge.plugin.HclogHandler;
import dev.bridge.plugin.HclogLevel;
import dev.bridge.plugin.InvalidEnvironmentException;
import dev.bridge.plugin.NotLaunchedByHostException;
import dev.bridge.plugin.PluginEnvironment;
import dev.bridge.plugin.broker.GrpcBroker;
import dev.bridge.plugin.PluginServer;
import dev.bridge.plugin.PluginServerOptions;
import dev.bridge.plugin.StdioPublisher;
import dev.bridge.schema.SchemaLoadException;
import dev.bridge.script.ConsoleSink;
import dev.bridge.script.HandlerRuleException;
import dev.bridge.script.JsEngine;
import dev.bridge.script.ScriptLoadException;
import dev.bridge.script.ScriptOptions;
import dev.bridge.script.ScriptRuntime;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Serves a script as a go-plugin plugin: everything that can be wrong is checked before the handshake
 * line, so a host sees either a working plugin or an exit with the reason in its log.
 */
@Command(name = "bridgejs", mixinStandardHelpOptions = true, versionProvider = BridgeVersion.class,
    description = "Serves the gRPC service of a .proto file to a go-plugin host, each method handled by "
        + "the JavaScript function of the same name exported by SCRIPT.")
final class ServeCommand implements Callable<Integer> {
  static final int EXIT_OK = 0;
  static final int EXIT_FAILURE = 1;

  private static final Logger LOG = Logger.getLogger("dev.bridge.cli");

  @Mixin ServeOptions options = new ServeOptions();
  private final StartupTimings timings = new StartupTimings();

  @Override
  public Integer call() throws InterruptedException {
    return call(Launch.ofProcess());
  }

  /** Serves until the host ends the plugin; the exit code. */
  int call(Launch launch) throws InterruptedException {
    // stdout carries the handshake line and nothing else: whatever else prints goes to stderr.
    PrintStream handshakeOut = launch.handshakeOut();
    if (launch.ownsProcess()) {
      System.setOut(System.err);
    } else {
      options.resolveAgainst(launch.cwd());
    }
    Map<String, String> env = launch.env();
    try {
      launch.installLog(HclogLevel.fromEnv(env));
    } catch (InvalidEnvironmentException e) {
      // Said as a log line all the same: hosts show plain stderr lines only at debug level.
      launch.installLog(HclogLevel.INFO);
      LOG.severe(e.getMessage());
      return EXIT_FAILURE;
    }
    try {
      timings.reached("main");
      HostArgs.log(options.hostArgs);
      PluginConfig config = PluginConfig.resolve(options);
      PluginEnvironment environment = PluginEnvironment.read(config.handshake(), env);
      if (!launch.ownsProcess()) {
        // The heap is the runtime's, shared by every instance: a limit of one instance cannot be watched.
        LOG.fine(() -> "maxHeap " + config.maxHeap() + " is not applied in the warm runtime, whose heap is shared");
        return serve(config, environment, handshakeOut, launch);
      }
      WarmFallback.of(config.warm(), config.manifest(), env).ifPresent(note -> LOG.log(note.level(), note.message()));
      try (var heap = HeapSettings.apply(config.maxHeap())) {
        return serve(config, environment, handshakeOut, launch);
      }
    } catch (NotLaunchedByHostException e) {
      if (PluginEnvironment.looksLaunchedByHost(env)) {
        // A host with another handshake: it shows plain stderr lines only at debug level and then says only
        // "Unrecognized remote plugin message", so the reason goes to its log as an error line.
        LOG.severe(e.forHost());
      } else {
        // What a Go plugin says when someone runs it by hand, and more; not a log line, since no host reads it.
        launch.err().println(e.forPerson(options.script.toString()));
      }
      return EXIT_FAILURE;
    } catch (StartupException | SchemaLoadException | ScriptLoadException | HandlerRuleException
        | InvalidEnvironmentException e) {
      LOG.severe(e.getMessage());
      return EXIT_FAILURE;
    } catch (IOException | GeneralSecurityException e) {
      LOG.log(Level.SEVERE, "cannot start serving: " + e.getMessage(), e);
      return EXIT_FAILURE;
    }
  }

  private int serve(PluginConfig config, PluginEnvironment environment, PrintStream handshakeOut, Launch launch)
      throws StartupException, SchemaLoadException, ScriptLoadException, HandlerRuleException, IOException,
      GeneralSecurityException, InterruptedException {
    boolean dev = DevReload.requested(options.dev, launch.env());
    Path filesRoot = options.filesRoot();
    if (!Files.isDirectory(filesRoot)) {
      throw new StartupException("--files-dir " + options.filesDir + ": not a directory");
    }
    var stdio = new StdioPublisher();
    ConsoleSink console = new ConsoleToHost(stdio::publish, config.script().getFileName().toString());
    PluginServerOptions serverOptions = PluginServerOptions.defaults().withForceTcp(options.tcp).withStdio(stdio)
        .withMaxInboundMessageSize(config.maxMessageSize()).withHandleSignals(launch.ownsProcess());
    if (environment.autoMtls()) {
      // The key, certificate and TLS contexts are made while the engine starts and the script loads.
      serverOptions = serverOptions.withAutoMtls(AutoMtlsSetup.startCreating(environment.clientCertificates()));
    }
    // The engine is created on another core while the schema is parsed: both take a good part of a second.
    CompletableFuture<JsEngine> warming = launch.sharedEngine().map(CompletableFuture::completedFuture)
        .orElseGet(() -> CompletableFuture.supplyAsync(() -> {
          JsEngine created = JsEngine.create();
          timings.reached("engine_created");
          return created;
        }, task -> Thread.ofPlatform().daemon().name("bridge-engine-start").start(task)));
    Consumer<JsEngine> closeOwned = engine -> {
      if (launch.ownsProcess()) {
        engine.close();
      }
    };
    // The script gets the broker at load; the server attaches it to the host's connection once it listens.
    GrpcBroker broker = new GrpcBroker();
    PluginVersion first;
    try {
      first = PluginVersion.load(() -> {
        timings.reached("schema_loaded");
        JsEngine warm = warming.join();
        return warm;
      }, config.spec().withBroker(broker).withEnvironment(launch.env()), filesRoot, console);
    } catch (SchemaLoadException | ScriptLoadException | HandlerRuleException | RuntimeException e) {
      warming.thenAccept(closeOwned);
      throw e;
    }
    timings.reached("script_loaded");
    JsEngine engine = warming.join();
    try (Plugin plugin = dev ? Plugin.live(first, ScriptRuntime.DEFAULT_CLOSE_GRACE) : Plugin.of(first)) {
      PluginServer server = plugin.serve(environment, handshakeOut, serverOptions, broker);
      launch.stopRequested().thenRun(server::shutdown);
      timings.reached("serving");
      timings.log(launch.ownsProcess());
      logServing(config, environment, server, first, dev);
      if (!dev) {
        server.awaitTermination();
        return EXIT_OK;
      }
      try (DevReload reload = new DevReload(options, engine, filesRoot, console, plugin, server::replaceServices,
          config, broker)) {
        server.awaitTermination();
      }
    } finally {
      closeOwned.accept(engine);
    }
    return EXIT_OK;
  }

  private static void logServing(PluginConfig config, PluginEnvironment environment, PluginServer server,
      PluginVersion version, boolean dev) {
    LOG.log(Level.INFO, "serving " + config.script() + (dev ? " in dev mode" : ""), Map.of(
        "network", server.address().network(),
        "address", server.address().address(),
        "services", version.services().stream().map(ServiceDescriptor::getFullName).toList(),
        "app_protocol_version", environment.appProtocolVersion(),
        "call_timeout", ScriptOptions.describe(config.callTimeout()),
        "max_message_size", config.maxMessageSize(),
        "instances", config.instances(),
        "max_heap", config.maxHeap().toString(),
        "dev", dev));
    // Once, at start-up: what the script may reach, so an operator sees the grants without reading the manifest.
    LOG.log(Level.INFO, config.permissions().describe());
  }
}
