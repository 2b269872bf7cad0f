package dev.bridge.cli;

import com.google.protobuf.Descriptors.MethodDescriptor;
import dev.bridge.app.Plugin;
import dev.bridge.app.PluginVersion;
import dev.bridge.rpc.Broker;
import dev.bridge.rpc.CallCancellation;
import dev.bridge.rpc.CallContext;
import dev.bridge.rpc.DirectCall;
import dev.bridge.rpc.ResponseMetadata;
import dev.bridge.plugin.HclogLevel;
import dev.bridge.plugin.InvalidEnvironmentException;
import dev.bridge.schema.SchemaLoadException;
import dev.bridge.script.HandlerRuleException;
import dev.bridge.script.JsEngine;
import dev.bridge.script.ScriptLoadException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Runs one handler without a host, for a person editing a script: the plugin is resolved and loaded as
 * serving loads it ({@link PluginVersion#load}), and the method is called as {@code DynamicService} calls it,
 * in any shape ({@link MethodCall}). Responses go to stdout as proto3 JSON and nothing else does; the script's
 * console, the bridge's log and every error go to stderr.
 */
@Command(name = "call", mixinStandardHelpOptions = true, versionProvider = BridgeVersion.class, abbreviateSynopsis = true,
    description = {"Runs one handler of SCRIPT without a host.",
        "The request is given in proto3 JSON; the response is printed in proto3 JSON on stdout and nothing else is. "
            + "The script's console output, the bridge's log and errors go to stderr.",
        "A server-streaming method prints each response as one line of JSON as it comes. A client-streaming or bidi "
            + "method reads its requests from standard input, one JSON object a line (blank lines skipped), as the "
            + "handler reads them; the end of input ends them. A stream that fails after some responses leaves them "
            + "on stdout.",
        "Response headers and trailers the handler sets go to stderr as lines 'header NAME: VALUE' and "
            + "'trailer NAME: VALUE' (-bin values in base64); a failure's error details as lines 'detail: JSON' "
            + "after its 'CODE: message' line."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
        "0:the handler answered; the response is on stdout",
        "1:the call failed: its status on stderr, as NOT_FOUND: message",
        "2:usage: a bad option, an unknown method, a request (or a line of requests) that is not the method's input "
            + "in proto3 JSON",
        "3:the plugin did not load: the manifest, a .proto file or the script (as serving reports it)"})
final class CallCommand implements Callable<Integer> {
  /** What {@code broker.dial} and {@code broker.serve} reject with here: there is no host to broker connections. */
  static final Broker NO_BROKER = Broker.unavailable(
      "the broker needs a go-plugin host (bridgejs call has no broker; serve the plugin to a host to use it)");

  static final int EXIT_OK = 0;
  static final int EXIT_CALL_FAILED = 1;
  static final int EXIT_USAGE = 2;
  static final int EXIT_NOT_LOADED = 3;

  /** Where the command reads and writes: the process's streams, or a test's. */
  record Terminal(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, boolean interactive) {
    /** The process's: stdout kept for the response alone, anything else printing there sent to stderr. */
    static Terminal system() {
      PrintStream out = System.out;
      System.setOut(System.err);
      java.io.Console console = System.console();
      return new Terminal(System.in, out, System.err, System.getenv(), console != null && console.isTerminal());
    }
  }

  @Mixin CallOptions options = new CallOptions();

  private final Terminal given;

  CallCommand() {
    this(null);
  }

  /** @param terminal the streams to use instead of the process's (null: the process's) */
  CallCommand(Terminal terminal) {
    this.given = terminal;
  }

  @Override
  public Integer call() throws InterruptedException {
    Terminal terminal = given != null ? given : Terminal.system();
    HclogLevel level;
    try {
      level = HclogLevel.fromEnv(terminal.env());
    } catch (InvalidEnvironmentException e) {
      terminal.err().println(e.getMessage());
      return EXIT_USAGE;
    }
    TerminalLog.install(terminal.err(), level);
    try {
      return run(terminal, level);
    } catch (CallUsageException e) {
      terminal.err().println(e.getMessage());
      return EXIT_USAGE;
    } catch (StartupException | SchemaLoadException | ScriptLoadException | HandlerRuleException e) {
      terminal.err().println(e.getMessage());
      return EXIT_NOT_LOADED;
    }
  }

  private int run(Terminal terminal, HclogLevel level) throws CallUsageException, StartupException,
      SchemaLoadException, ScriptLoadException, HandlerRuleException, InterruptedException {
    Map<String, List<String>> metadata = MetadataOptions.parse(options.metadata);
    Map<String, List<byte[]>> binaryMetadata = MetadataOptions.binary(options.metadata);
    Path filesRoot = options.filesRoot();
    if (!Files.isDirectory(filesRoot)) {
      throw new CallUsageException("--files-dir " + options.filesDir + ": not a directory");
    }
    PluginConfig config = PluginConfig.resolveWithoutHost(options.asServeOptions());
    var console = new ConsoleToStderr(terminal.err(), config.script().getFileName().toString(), level);
    try (var heap = HeapSettings.apply(config.maxHeap()); JsEngine engine = JsEngine.create()) {
      try (Plugin plugin = Plugin.load(engine, config.spec().withBroker(NO_BROKER), filesRoot, console)) {
        PluginVersion version = plugin.current();
        MethodDescriptor method = MethodLookup.find(version.services(), version.schema().services(),
            options.method);
        ProtoJson protoJson = ProtoJson.of(version.schema().files());
        // As a host makes the call: its deadline and metadata given.
        Optional<Instant> deadline = Optional.ofNullable(options.timeout).map(Instant.now()::plus);
        var context = new CallContext(DirectCall.fullMethodName(method), metadata, deadline, new CallCancellation())
            .withBinaryMetadata(() -> binaryMetadata)
            .withResponseMetadata(new ResponseMetadata());
        return new MethodCall(terminal, protoJson, method, plugin.handlers(), context, config.maxMessageSize())
            .run(options.request);
      }
    }
  }
}
