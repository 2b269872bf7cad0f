package dev.bridge.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The command line of {@code bridgejs SCRIPT}: what to serve, overriding the script's manifest: how it
 * loads ({@link LoadOptions}), and what only serving to a host needs.
 */
final class ServeOptions extends LoadOptions {
  @Option(names = "--magic-cookie-key", paramLabel = "KEY", description = "The environment variable the host sets.")
  String magicCookieKey;

  @Option(names = "--magic-cookie-value", paramLabel = "VALUE", description = "Its expected value.")
  String magicCookieValue;

  @Option(names = "--app-protocol-version", paramLabel = "N",
      description = "An application protocol version the plugin speaks (repeatable; default 1).")
  List<Integer> appProtocolVersions = new ArrayList<>();

  @Option(names = "--tcp", description = "Listen on 127.0.0.1 instead of a Unix socket.")
  boolean tcp;

  @Option(names = "--instances", paramLabel = "N",
      description = "How many instances of the script serve calls in parallel (default 1, or the manifest's "
          + "instances). Each instance has its own module state: more than 1 suits handlers that keep no state in memory.")
  Integer instances;

  @Option(names = "--dev",
      description = "Dev mode: reload the script, its modules, the proto files and the manifest when they change "
          + "(also BRIDGE_DEV=1).")
  boolean dev;
}
