package dev.bridge.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The command line of {@code bridgejs call SCRIPT METHOD [JSON]}: the call, and the options of
 * {@code bridgejs SCRIPT} that say how the plugin loads (the handshake, the transport and dev mode are
 * a host's business, so they are not here).
 */
final class CallOptions extends LoadOptions {
  @Parameters(index = "1", paramLabel = "METHOD",
      description = "The method to call: Get, or KV/Get or proto.KV/Get when several services have a Get.")
  String method;

  @Parameters(index = "2", arity = "0..1", paramLabel = "JSON",
      description = "The request in proto3 JSON, e.g. '{\"key\": \"a\"}'; - or nothing: read it from standard "
          + "input (empty means {}). A method taking a stream of requests reads them from standard input, one a line.")
  String request;

  @Option(names = {"-H", "--metadata"}, paramLabel = "KEY=VALUE",
      description = "A request header the handler sees in context.metadata (repeatable; a key may repeat; "
          + "a key ending in -bin takes a base64 value, which the handler sees as a Uint8Array).")
  List<String> metadata = new ArrayList<>();

  @Option(names = "--timeout", paramLabel = "DURATION", converter = Units.DurationConverter.class,
      description = "The call's deadline, as a host sets one (e.g. 2s): the handler sees it in context.deadline "
          + "and is interrupted when it passes (DEADLINE_EXCEEDED). The call time limit applies too.")
  Duration timeout;

  /**
   * The same options as serving takes them, so that the plugin resolves and loads as it would for a host;
   * one instance of the script, since one call is made.
   */
  ServeOptions asServeOptions() {
    ServeOptions serve = copyInto(new ServeOptions());
    serve.instances = 1;
    return serve;
  }
}
