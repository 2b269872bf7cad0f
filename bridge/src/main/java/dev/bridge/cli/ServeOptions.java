package dev.bridge.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The command line of {@code bridgejs [OPTIONS] SCRIPT [HOST-ARGS...]}: what to serve, overriding the script's
 * manifest: how it loads ({@link LoadOptions}), and what only serving to a host needs. Everything after SCRIPT is
 * the host's ({@link #hostArgs}).
 */
final class ServeOptions extends LoadOptions {
  /**
   * Hosts pass their own flags to their plugins (Velero its server flags): never refused, never read, handed to
   * the script as {@code bridge.args}. Parsing stops at SCRIPT ({@link Main#commandLine}).
   */
  @Parameters(index = "1..*", paramLabel = "HOST-ARGS",
      description = "Arguments for the script, not for bridgejs (a host may pass its own flags): it reads them as "
          + "bridge.args. Options of bridgejs go before SCRIPT.")
  List<String> hostArgs = new ArrayList<>();

  @Option(names = "--magic-cookie-key", paramLabel = "KEY", description = "The environment variable the host sets.")
  String magicCookieKey;

  @Option(names = "--magic-cookie-value", paramLabel = "VALUE",
      description = "Its expected value; '*' accepts any non-empty value (for a host that makes a new one at each launch).")
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
