package dev.bridge.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The command line of {@code bridge SCRIPT}: what to serve, overriding the script's manifest. */
final class ServeOptions {
  @Parameters(index = "0", paramLabel = "SCRIPT",
      description = "The JavaScript module whose exported functions implement the service's methods.")
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

  @Option(names = "--magic-cookie-key", paramLabel = "KEY", description = "The environment variable the host sets.")
  String magicCookieKey;

  @Option(names = "--magic-cookie-value", paramLabel = "VALUE", description = "Its expected value.")
  String magicCookieValue;

  @Option(names = "--app-protocol-version", paramLabel = "N",
      description = "An application protocol version the plugin speaks (repeatable; default 1).")
  List<Integer> appProtocolVersions = new ArrayList<>();

  @Option(names = "--tcp", description = "Listen on 127.0.0.1 instead of a Unix socket.")
  boolean tcp;

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

  @Option(names = "--instances", paramLabel = "N",
      description = "How many instances of the script serve calls in parallel (default 1, or the manifest's "
          + "instances). Each instance has its own module state: more than 1 suits handlers that keep no state in memory.")
  Integer instances;

  @Option(names = "--dev",
      description = "Dev mode: reload the script, its modules, the proto files and the manifest when they change "
          + "(also BRIDGE_DEV=1).")
  boolean dev;
}
