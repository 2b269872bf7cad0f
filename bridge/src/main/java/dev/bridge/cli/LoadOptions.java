package dev.bridge.cli;

import dev.bridge.script.Permissions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options that say how a plugin loads, overriding its manifest: shared by {@code bridgejs SCRIPT}
 * ({@link ServeOptions}) and {@code bridgejs call} ({@link CallOptions}), so both load a script alike.
 */
class LoadOptions {
  @Parameters(index = "0", paramLabel = "SCRIPT",
      description = "The JavaScript module whose exports (functions, or one object per service) implement the services' methods.")
  Path script;

  @Option(names = "--manifest", paramLabel = "FILE",
      description = "The plugin manifest (default: SCRIPT's name with .plugin.json, beside it, if present).")
  Path manifest;

  @Option(names = "--proto", paramLabel = "FILE", description = "A .proto file defining the service (repeatable).")
  List<Path> protoFiles = new ArrayList<>();

  @Option(names = {"-I", "--proto-path"}, paramLabel = "DIR", description = "An import root for .proto files (repeatable).")
  List<Path> protoPath = new ArrayList<>();

  @Option(names = "--descriptor-set", paramLabel = "FILE",
      description = "A compiled FileDescriptorSet (protoc --include_imports --descriptor_set_out) instead of .proto files.")
  Path descriptorSet;

  @Option(names = "--service", paramLabel = "NAME",
      description = "A fully qualified service to serve (repeatable; default: every service defined).")
  List<String> services = new ArrayList<>();

  @Option(names = "--files-dir", paramLabel = "DIR",
      description = "The directory the script's fs API is confined to (default: the working directory).")
  Path filesDir;

  @Option(names = "--call-timeout", paramLabel = "DURATION", converter = Units.DurationConverter.class,
      description = "The longest one call may run (e.g. 30s, 500ms, 2m; default 30s, or the manifest's callTimeout); "
          + "the host's deadline ends it earlier.")
  Duration callTimeout;

  @Option(names = "--max-message-size", paramLabel = "SIZE", converter = Units.SizeConverter.class,
      description = "The largest request message accepted, in bytes or with KiB/MiB/GiB (default 4MiB, or the "
          + "manifest's maxMessageSize); larger ones fail with RESOURCE_EXHAUSTED.")
  Integer maxMessageSize;

  @Option(names = "--load-timeout", paramLabel = "DURATION", converter = Units.DurationConverter.class,
      description = "The longest the script's top-level code may run at start-up (default 30s, or the manifest's "
          + "loadTimeout).")
  Duration loadTimeout;

  @Option(names = "--max-heap", paramLabel = "SIZE", converter = MaxHeap.Converter.class,
      description = "The most live Java heap the plugin may hold (e.g. 256MiB, 1GiB; default 512MiB, or the manifest's "
          + "maxHeap), or jvm for the JVM's own maximum; past it the script instance is dropped and loaded again and "
          + "its calls fail with RESOURCE_EXHAUSTED.")
  MaxHeap maxHeap;

  @Option(names = "--allow-net", paramLabel = "HOST", split = ",",
      description = "Let fetch reach these hosts: host, host:port or *.domain (repeatable or comma-separated; added "
          + "to the manifest's permissions.net). Nothing is reachable by default.")
  List<String> allowNet = new ArrayList<>();

  @Option(names = "--allow-env", paramLabel = "NAME", split = ",",
      description = "Let the script read these environment variables (repeatable or comma-separated; added to the "
          + "manifest's permissions.env).")
  List<String> allowEnv = new ArrayList<>();

  @Option(names = "--allow-read", paramLabel = "DIR", split = ",",
      description = "Let the script read this directory beyond its files directory (repeatable; added to the "
          + "manifest's permissions.read).")
  List<Path> allowRead = new ArrayList<>();

  @Option(names = "--allow-write", paramLabel = "DIR", split = ",",
      description = "Let the script read and write this directory beyond its files directory (repeatable; added to "
          + "the manifest's permissions.write).")
  List<Path> allowWrite = new ArrayList<>();

  /** What the {@code --allow-*} options grant; the manifest's grants are added to these. */
  Permissions allowed() throws StartupException {
    try {
      return new Permissions(allowNet, allowEnv, allowRead, allowWrite);
    } catch (IllegalArgumentException e) {
      throw new StartupException("--allow-net: " + e.getMessage().replaceFirst("^net\\[\\d+\\]: ", ""), e);
    }
  }

  /** The directory the script's {@code fs} is confined to: {@code --files-dir}, or the working directory. */
  Path filesRoot() {
    return filesDir == null ? Path.of("").toAbsolutePath() : filesDir.toAbsolutePath();
  }

  /**
   * Resolves every relative path against {@code cwd}: in the warm runtime, the client's working directory, which
   * is not the runtime's.
   */
  void resolveAgainst(Path cwd) {
    script = script == null ? null : cwd.resolve(script);
    manifest = manifest == null ? null : cwd.resolve(manifest);
    protoFiles = protoFiles.stream().map(cwd::resolve).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    protoPath = protoPath.stream().map(cwd::resolve).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    descriptorSet = descriptorSet == null ? null : cwd.resolve(descriptorSet);
    filesDir = cwd.resolve(filesDir == null ? Path.of("") : filesDir);
    allowRead = allowRead.stream().map(cwd::resolve).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    allowWrite = allowWrite.stream().map(cwd::resolve).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
  }

  /** Copies these options into {@code target}. */
  <T extends LoadOptions> T copyInto(T target) {
    target.script = script;
    target.manifest = manifest;
    target.protoFiles = protoFiles;
    target.protoPath = protoPath;
    target.descriptorSet = descriptorSet;
    target.services = services;
    target.filesDir = filesDir;
    target.callTimeout = callTimeout;
    target.maxMessageSize = maxMessageSize;
    target.loadTimeout = loadTimeout;
    target.maxHeap = maxHeap;
    target.allowNet = allowNet;
    target.allowEnv = allowEnv;
    target.allowRead = allowRead;
    target.allowWrite = allowWrite;
    return target;
  }
}
