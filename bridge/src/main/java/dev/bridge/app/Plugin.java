package dev.bridge.app;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.bridge.plugin.PluginEnvironment;
import dev.bridge.plugin.PluginServer;
import dev.bridge.plugin.PluginServerOptions;
import dev.bridge.plugin.broker.GrpcBroker;
import dev.bridge.rpc.Handlers;
import dev.bridge.rpc.grpc.DynamicService;
import dev.bridge.schema.SchemaLoadException;
import dev.bridge.script.ConsoleSink;
import dev.bridge.script.HandlerRuleException;
import dev.bridge.script.JsEngine;
import dev.bridge.script.LiveScript;
import dev.bridge.script.ScriptLoadException;
import io.grpc.ServerServiceDefinition;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A plugin put together, the one place every command that runs one (serving, {@code bridgejs call}, the AOT
 * training, packing) assembles it: the version loaded ({@link PluginVersion}: schema, script instances), the
 * handlers that route each call to an instance of it, its services bound to them for gRPC, and the server for
 * a host. In dev mode the handlers are a {@link LiveScript}'s, which later versions {@linkplain #replace replace}
 * while calls in progress finish on theirs. Closing it closes the script instances (not the engine, which the
 * caller owns).
 */
public final class Plugin implements AutoCloseable {
  private final LiveScript live;
  private volatile PluginVersion current;

  private Plugin(PluginVersion first, LiveScript live) {
    this.current = Objects.requireNonNull(first, "first");
    this.live = live;
  }

  /** Loads the plugin {@code spec} describes, to serve as it is ({@link PluginVersion#load}). */
  public static Plugin load(JsEngine engine, PluginSpec spec, Path filesRoot, ConsoleSink console)
      throws SchemaLoadException, ScriptLoadException, HandlerRuleException {
    return of(PluginVersion.load(engine, spec, filesRoot, console));
  }

  /** Serves {@code version} as it is, for the process's life. */
  public static Plugin of(PluginVersion version) {
    return new Plugin(version, null);
  }

  /**
   * Serves {@code first} until a new version replaces it (dev mode).
   *
   * @param drainGrace how long a replaced version may take to finish its calls before they fail
   */
  public static Plugin live(PluginVersion first, Duration drainGrace) {
    return new Plugin(first, new LiveScript(first.scripts(), drainGrace));
  }

  /** The version serving new calls. */
  public PluginVersion current() {
    return current;
  }

  /** The services served, by the current version. */
  public List<ServiceDescriptor> services() {
    return current.services();
  }

  /** Each method's handler: the script's export, of the current version in dev mode. */
  public Handlers handlers() {
    return live != null ? live.handlers() : current.scripts().handlers();
  }

  /** The current version's services as gRPC services, each method served by {@link #handlers()}. */
  public List<ServerServiceDefinition> bind() {
    return bind(current.services());
  }

  private List<ServerServiceDefinition> bind(List<ServiceDescriptor> services) {
    Handlers handlers = handlers();
    return services.stream().map(service -> DynamicService.bind(service, handlers)).toList();
  }

  /** Serves the plugin to the host {@code environment} describes; the handshake line goes to {@code handshakeOut}. */
  public PluginServer serve(PluginEnvironment environment, PrintStream handshakeOut, PluginServerOptions options)
      throws IOException, GeneralSecurityException {
    return PluginServer.start(environment, bind(), handshakeOut, options);
  }

  /**
   * The same with {@code broker} as go-plugin's broker: the one the script was loaded with
   * ({@link PluginSpec#withBroker}), which the server attaches and closes when it stops.
   */
  public PluginServer serve(PluginEnvironment environment, PrintStream handshakeOut, PluginServerOptions options,
      GrpcBroker broker) throws IOException, GeneralSecurityException {
    return PluginServer.start(environment, bind(), handshakeOut, options, broker);
  }

  /**
   * Dev mode: {@code next} serves new calls from now on; the replaced version closes once its calls are done.
   *
   * @return {@code next}'s services bound, for the server to serve instead
   */
  public synchronized List<ServerServiceDefinition> replace(PluginVersion next) {
    if (live == null) {
      throw new IllegalStateException("this plugin serves one version; only a live one (dev mode) is replaced");
    }
    List<ServerServiceDefinition> services = bind(next.services());
    live.replace(next.scripts());
    current = next;
    return services;
  }

  @Override
  public void close() {
    if (live != null) {
      live.close();
    } else {
      current.scripts().close();
    }
  }
}
