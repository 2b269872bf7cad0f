package dev.bridge.app;

import dev.bridge.rpc.Broker;
import dev.bridge.schema.ProtoSchema;
import dev.bridge.schema.SchemaLoadException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a plugin is loaded from, as the command line and the manifest resolved it: the script, where its schema
 * comes from, the services to serve and how the script runs. The command line's business (options, manifest,
 * handshake) stays out: this is all {@link PluginVersion#load} needs.
 *
 * @param script the handler script
 * @param schema reads the schema (proto files, or a descriptor set)
 * @param services the services to serve; empty means every service defined
 * @param callTimeout the longest one call may run (a stream's: each run of its JavaScript)
 * @param loadTimeout the longest the script's top-level code may run
 * @param instances how many instances of the script serve calls
 * @param hostArgs what the host put after the script on the command line, for the script ({@code bridge.args})
 * @param namedFiles the files the configuration names, known before anything is loaded (script, proto files or
 *     descriptor set, manifest): an edit of one while loading counts as a change
 * @param manifest the manifest file the configuration came from, if any, which dev mode watches
 * @param broker go-plugin's broker behind the script's {@code broker} global: serving's, or one that refuses
 *     every dial and serve (saying why) where there is no host
 * @param permissions what the script may reach beyond its files directory (manifest and {@code --allow-*})
 * @param environment the environment {@code process.env} reads granted variables from: the process's, or in the warm
 *     runtime the client's
 */
public record PluginSpec(Path script, SchemaReader schema, List<String> services, Duration callTimeout,
    Duration loadTimeout, int instances, List<String> hostArgs, List<Path> namedFiles, Optional<Path> manifest,
    Broker broker, dev.bridge.script.Permissions permissions, java.util.Map<String, String> environment) {

  public PluginSpec {
    environment = java.util.Map.copyOf(environment);
    services = List.copyOf(services);
    hostArgs = List.copyOf(hostArgs);
    namedFiles = List.copyOf(namedFiles);
    java.util.Objects.requireNonNull(broker, "broker");
    java.util.Objects.requireNonNull(permissions, "permissions");
  }

  /** The same with this broker (serving passes the host's). */
  public PluginSpec withBroker(Broker value) {
    return new PluginSpec(script, schema, services, callTimeout, loadTimeout, instances, hostArgs, namedFiles, manifest,
        value, permissions, environment);
  }

  /** The same with this environment behind {@code process.env} (the warm runtime passes its client's). */
  public PluginSpec withEnvironment(java.util.Map<String, String> value) {
    return new PluginSpec(script, schema, services, callTimeout, loadTimeout, instances, hostArgs, namedFiles, manifest,
        broker, permissions, value);
  }

  /** Reads a plugin's schema. */
  @FunctionalInterface
  public interface SchemaReader {
    ProtoSchema read() throws SchemaLoadException;
  }
}
