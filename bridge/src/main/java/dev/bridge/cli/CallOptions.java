package dev.bridge.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The command line of {@code bridge call SCRIPT METHOD [JSON]}: the call, and the options of
 * {@code bridge SCRIPT} that say how the plugin loads (the handshake, the transport and dev mode are
 * a host's business, so they are not here).
 */
final class CallOptions {
  @Parameters(index = "0", paramLabel = "SCRIPT",
      description = "The JavaScript module whose exported functions implement the service's methods.")
  Path script;

  @Parameters(index = "1", paramLabel = "METHOD",
      description = "The method to call: Get, or KV/Get or proto.KV/Get when several services have a Get.")
  String method;

  @Parameters(index = "2", arity = "0..1", paramLabel = "JSON",
      description = "The request in proto3 JSON, e.g. '{\"key\": \"a\"}'; - or nothing: read it from standard "
          + "input (empty means {}).")
  String request;

  @Option(names = {"-H", "--metadata"}, paramLabel = "KEY=VALUE",
      description = "A request header the handler sees in context.metadata (repeatable; a key may repeat).")
  List<String> metadata = new ArrayList<>();

  @Option(names = "--timeout", paramLabel = "DURATION", converter = Units.DurationConverter.class,
      description = "The call's deadline, as a host sets one (e.g. 2s): the handler sees it in context.deadline "
          + "and is interrupted when it passes (DEADLINE_EXCEEDED). The call time limit applies too.")
  Duration timeout;

  @Option(names = "--manifest", paramLabel = "FILE",
      description = "The plugin manifest (default: SCRIPT's name with .plugin.json, beside it, if present).")
  Path manifest;

  @Option(names = "--proto", paramLabel = "FILE", description = "A .proto file defining the service (repeatable).")
  List<Path> protoFiles = new ArrayList<>();

  @Option(names = {"-I", "--proto-path"}, paramLabel = "DIR", description = "An import root for .proto files (repeatable).")
  List<Path> protoPath = new ArrayList<>();

  @Option(names = "--descriptor-set", paramLabel = "FILE",
      description = "A compiled FileDescriptorSet instead of .proto files.")
  Path descriptorSet;

  @Option(names = "--service", paramLabel = "NAME",
      description = "A fully qualified service the plugin serves (repeatable; default: every service defined).")
  List<String> services = new ArrayList<>();

  @Option(names = "--files-dir", paramLabel = "DIR",
      description = "The directory the script's fs API is confined to (default: the working directory).")
  Path filesDir;

  @Option(names = "--call-timeout", paramLabel = "DURATION", converter = Units.DurationConverter.class,
      description = "The plugin's call time limit (default 30s, or the manifest's callTimeout).")
  Duration callTimeout;

  @Option(names = "--max-message-size", paramLabel = "SIZE", converter = Units.SizeConverter.class,
      description = "The largest request accepted (default 4MiB, or the manifest's maxMessageSize).")
  Integer maxMessageSize;

  @Option(names = "--load-timeout", paramLabel = "DURATION", converter = Units.DurationConverter.class,
      description = "The longest the script's top-level code may run (default 30s, or the manifest's loadTimeout).")
  Duration loadTimeout;

  /**
   * The same options as serving takes them, so that the plugin resolves and loads as it would for a host;
   * one instance of the script, since one call is made.
   */
  ServeOptions asServeOptions() {
    ServeOptions serve = new ServeOptions();
    serve.script = script;
    serve.manifest = manifest;
    serve.protoFiles = protoFiles;
    serve.protoPath = protoPath;
    serve.descriptorSet = descriptorSet;
    serve.services = services;
    serve.filesDir = filesDir;
    serve.callTimeout = callTimeout;
    serve.maxMessageSize = maxMessageSize;
    serve.loadTimeout = loadTimeout;
    serve.instances = 1;
    return serve;
  }
}
