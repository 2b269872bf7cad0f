package dev.bridge.cli;

import dev.bridge.app.PluginSpec;
import dev.bridge.app.PluginVersion;
import dev.bridge.plugin.HandshakeConfig;
import dev.bridge.plugin.PluginServerOptions;
import dev.bridge.scaffold.StarterPlugin;
import dev.bridge.rpc.Broker;
import dev.bridge.script.Permissions;
import dev.bridge.script.ScriptOptions;
import dev.bridge.script.ScriptPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything the bridge needs to serve a script, from its manifest with command-line options on top.
 *
 * @param script the handler script
 * @param protoFiles {@code .proto} files to parse, when no descriptor set is given
 * @param protoPath import roots for the proto files
 * @param descriptorSet a compiled descriptor set, instead of proto files
 * @param services the services to serve; empty means every service defined
 * @param handshake what the host expects to find in the environment and the handshake line (null when
 *     resolved {@linkplain #resolveWithoutHost without a host})
 * @param callTimeout the longest one call may run
 * @param maxMessageSize the largest request message accepted, in bytes
 * @param loadTimeout the longest the script's top-level code may run
 * @param instances how many instances of the script serve calls
 * @param maxHeap the most live Java heap the plugin may hold, or the JVM's own maximum
 * @param manifest the manifest file the configuration came from, if any
 * @param hostArgs what the host put after the script on the command line, for the script ({@code bridge.args})
 * @param permissions what the script may reach: the manifest's grants and the {@code --allow-*} options'
 * @param warm whether the manifest asks to be served by the warm runtime ({@code "warm": true}); the launcher
 *     decides that before any JVM starts, so a JVM serving such a plugin only says why it does ({@link WarmFallback})
 */
record PluginConfig(
    Path script,
    List<Path> protoFiles,
    List<Path> protoPath,
    Optional<Path> descriptorSet,
    List<String> services,
    HandshakeConfig handshake,
    Duration callTimeout,
    int maxMessageSize,
    Duration loadTimeout,
    int instances,
    MaxHeap maxHeap,
    Optional<Path> manifest,
    List<String> hostArgs,
    Permissions permissions,
    boolean warm) {

  static final Duration DEFAULT_CALL_TIMEOUT = ScriptOptions.DEFAULT_CALL_TIMEOUT;
  static final int DEFAULT_MAX_MESSAGE_SIZE = PluginServerOptions.DEFAULT_MAX_INBOUND_MESSAGE_SIZE;
  static final Duration DEFAULT_LOAD_TIMEOUT = ScriptOptions.DEFAULT_LOAD_TIMEOUT;

  /** The app protocol version when neither manifest nor options name one: go-plugin hosts commonly start at 1. */
  static final List<Integer> DEFAULT_APP_PROTOCOL_VERSIONS = List.of(1);

  /** What the plugin is loaded from, for {@link PluginVersion#load}. */
  PluginSpec spec() {
    SchemaSource schema = new SchemaSource(protoFiles, protoPath, descriptorSet, services);
    return new PluginSpec(script, schema::load, services, callTimeout, loadTimeout, instances, hostArgs, namedFiles(),
        manifest, Broker.unavailable(ScriptOptions.NO_HOST), permissions, System.getenv());
  }

  /** The files the configuration names, known before anything is loaded. */
  private List<Path> namedFiles() {
    List<Path> files = new ArrayList<>(protoFiles);
    files.add(script);
    descriptorSet.ifPresent(files::add);
    manifest.ifPresent(files::add);
    return files;
  }

  static PluginConfig resolve(ServeOptions options) throws StartupException {
    return resolve(options, true);
  }

  /**
   * The configuration for running the script without a host ({@code bridgejs call}): the same resolution,
   * except that the handshake, which only a host checks, is neither required nor read; {@link #handshake()}
   * is null.
   */
  static PluginConfig resolveWithoutHost(ServeOptions options) throws StartupException {
    return resolve(options, false);
  }

  private static PluginConfig resolve(ServeOptions options, boolean forHost) throws StartupException {
    if (!Files.isRegularFile(options.script)) {
      throw new StartupException(options.script + ": no such script file");
    }
    PluginManifest manifest = manifestFor(options);
    String origin = manifest.file() == null
        ? "no " + PluginManifest.besideScript(options.script) + " was found"
        : "not in " + manifest.file();
    List<Path> protoFiles = options.protoFiles.isEmpty() ? manifest.protoFiles() : options.protoFiles;
    Optional<Path> descriptorSet = Optional.ofNullable(options.descriptorSet).or(manifest::descriptorSet);
    if (protoFiles.isEmpty() && descriptorSet.isEmpty()) {
      throw new StartupException("which service does " + options.script + " implement? Declare \"proto\" in its manifest "
          + "or give --proto FILE or --descriptor-set FILE (" + origin + ")");
    }
    if (!protoFiles.isEmpty() && descriptorSet.isPresent()) {
      throw new StartupException("give either proto files or a descriptor set, not both: "
          + protoFiles + " and " + descriptorSet.get());
    }
    HandshakeConfig handshake = forHost ? handshake(options, manifest, origin) : null;
    return new PluginConfig(
        options.script,
        protoFiles,
        options.protoPath.isEmpty() ? manifest.protoPath() : options.protoPath,
        descriptorSet,
        options.services.isEmpty() ? manifest.services() : options.services,
        handshake,
        Optional.ofNullable(options.callTimeout).or(manifest::callTimeout).orElse(DEFAULT_CALL_TIMEOUT),
        Optional.ofNullable(options.maxMessageSize).or(manifest::maxMessageSize).orElse(DEFAULT_MAX_MESSAGE_SIZE),
        Optional.ofNullable(options.loadTimeout).or(manifest::loadTimeout).orElse(DEFAULT_LOAD_TIMEOUT),
        instances(options, manifest),
        Optional.ofNullable(options.maxHeap).or(manifest::maxHeap).orElse(MaxHeap.DEFAULT),
        Optional.ofNullable(manifest.file()),
        List.copyOf(options.hostArgs),
        manifest.permissions().and(options.allowed()),
        manifest.warm().orElse(false));
  }

  private static HandshakeConfig handshake(ServeOptions options, PluginManifest manifest, String origin)
      throws StartupException {
    String cookieKey = Optional.ofNullable(options.magicCookieKey).or(manifest::magicCookieKey)
        .orElseThrow(() -> new StartupException("the host's magic cookie key is unknown: declare "
            + "\"handshake.magicCookieKey\" in the manifest or give --magic-cookie-key (" + origin + ")"));
    String cookieValue = Optional.ofNullable(options.magicCookieValue).or(manifest::magicCookieValue)
        .orElseThrow(() -> new StartupException("the host's magic cookie value is unknown: declare "
            + "\"handshake.magicCookieValue\" in the manifest or give --magic-cookie-value (" + origin + ")"));
    for (String value : List.of(cookieKey, cookieValue)) {
      if (StarterPlugin.isHandshakePlaceholder(value)) {
        // The host would only say "Unrecognized remote plugin message"; say what to fill in instead.
        throw new StartupException("the handshake is still bridgejs init's placeholder " + value + " ("
            + (manifest.file() == null ? "options" : manifest.file()) + "): put the host's magic cookie key and value "
            + "(its go-plugin HandshakeConfig) in handshake.magicCookieKey and handshake.magicCookieValue, or give "
            + "--magic-cookie-key and --magic-cookie-value; magicCookieValue \"" + HandshakeConfig.ANY_VALUE
            + "\" accepts any value");
      }
    }
    List<Integer> versions = !options.appProtocolVersions.isEmpty() ? options.appProtocolVersions
        : !manifest.appProtocolVersions().isEmpty() ? manifest.appProtocolVersions()
        : DEFAULT_APP_PROTOCOL_VERSIONS;
    try {
      return new HandshakeConfig(cookieKey, cookieValue, versions);
    } catch (IllegalArgumentException e) {
      throw new StartupException("handshake " + (manifest.file() == null ? "options" : "in " + manifest.file())
          + ": " + e.getMessage(), e);
    }
  }

  private static int instances(ServeOptions options, PluginManifest manifest) throws StartupException {
    if (options.instances != null) {
      checkInstances(options.instances, "--instances");
      return options.instances;
    }
    if (manifest.instances().isPresent()) {
      checkInstances(manifest.instances().get(), manifest.file() + ": field \"instances\"");
      return manifest.instances().get();
    }
    return 1;
  }

  private static void checkInstances(int instances, String where) throws StartupException {
    if (instances < 1 || instances > ScriptPool.MAX_INSTANCES) {
      throw new StartupException(where + " must be from 1 to " + ScriptPool.MAX_INSTANCES + ", got " + instances);
    }
  }

  private static PluginManifest manifestFor(ServeOptions options) throws StartupException {
    if (options.manifest != null) {
      return PluginManifest.read(options.manifest);
    }
    Path beside = PluginManifest.besideScript(options.script);
    return Files.exists(beside) ? PluginManifest.read(beside) : PluginManifest.empty();
  }
}
