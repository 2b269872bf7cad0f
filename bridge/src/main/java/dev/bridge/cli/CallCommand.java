package dev.bridge.cli;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.bridge.rpc.CallCancellation;
import dev.bridge.rpc.CallContext;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.DirectCall;
import dev.bridge.rpc.ResponseMetadata;
import dev.bridge.plugin.HclogLevel;
import dev.bridge.plugin.InvalidEnvironmentException;
import dev.bridge.schema.SchemaLoadException;
import dev.bridge.script.JsEngine;
import dev.bridge.script.ScriptLoadException;
import dev.bridge.script.ScriptPool;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Runs one handler without a host, for a person editing a script: the plugin is resolved and loaded as
 * serving loads it ({@link PluginVersion#load}), the request is read from proto3 JSON, and the handler is
 * called as {@code DynamicService} calls it. The response goes to stdout as proto3 JSON and nothing else
 * does; the script's console, the bridge's log and every error go to stderr.
 */
@Command(name = "call", mixinStandardHelpOptions = true, versionProvider = BridgeVersion.class, abbreviateSynopsis = true,
    description = {"Runs one handler of SCRIPT without a host.",
        "The request is given in proto3 JSON; the response is printed in proto3 JSON on stdout and nothing else is. "
            + "The script's console output, the bridge's log and errors go to stderr.",
        "Response headers and trailers the handler sets go to stderr as lines 'header NAME: VALUE' and "
            + "'trailer NAME: VALUE' (-bin values in base64); a failure's error details as lines 'detail: JSON' "
            + "after its 'CODE: message' line."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
        "0:the handler answered; the response is on stdout",
        "1:the call failed: its status on stderr, as NOT_FOUND: message",
        "2:usage: a bad option, an unknown method, a request that is not the method's input in proto3 JSON",
        "3:the plugin did not load: the manifest, a .proto file or the script (as serving reports it)"})
final class CallCommand implements Callable<Integer> {
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
    } catch (StartupException | SchemaLoadException | ScriptLoadException e) {
      terminal.err().println(e.getMessage());
      return EXIT_NOT_LOADED;
    }
  }

  private int run(Terminal terminal, HclogLevel level) throws CallUsageException, StartupException,
      SchemaLoadException, ScriptLoadException, InterruptedException {
    Map<String, List<String>> metadata = MetadataOptions.parse(options.metadata);
    Map<String, List<byte[]>> binaryMetadata = MetadataOptions.binary(options.metadata);
    Path filesRoot = options.filesDir == null ? Path.of("").toAbsolutePath() : options.filesDir.toAbsolutePath();
    if (!Files.isDirectory(filesRoot)) {
      throw new CallUsageException("--files-dir " + options.filesDir + ": not a directory");
    }
    PluginConfig config = PluginConfig.resolveWithoutHost(options.asServeOptions());
    String json = readRequest(terminal);
    var console = new ConsoleToStderr(terminal.err(), config.script().getFileName().toString(), level);
    try (var heap = HeapSettings.apply(config.maxHeap()); JsEngine engine = JsEngine.create()) {
      PluginVersion version = PluginVersion.load(engine, config, filesRoot, console);
      try (ScriptPool scripts = version.scripts()) {
        MethodDescriptor method = MethodLookup.find(version.services(), version.schema().services(),
            options.method);
        ProtoJson protoJson = ProtoJson.of(version.schema().files());
        DynamicMessage request = parseRequest(protoJson, json, method);
        DynamicMessage response;
        ResponseMetadata responseMetadata = new ResponseMetadata();
        try {
          response = call(method, scripts, request, metadata, binaryMetadata, config.maxMessageSize(), responseMetadata);
        } catch (CallFailure failure) {
          // As a host sees a failed call: headers, the status, its details, trailers.
          CallMetadataPrinter.printHeaders(terminal.err(), responseMetadata);
          terminal.err().println(failure.code() + ": " + failure.getMessage());
          CallMetadataPrinter.printDetails(terminal.err(), protoJson, failure);
          CallMetadataPrinter.printTrailers(terminal.err(), responseMetadata);
          return EXIT_CALL_FAILED;
        }
        CallMetadataPrinter.printHeaders(terminal.err(), responseMetadata);
        CallMetadataPrinter.printTrailers(terminal.err(), responseMetadata);
        try {
          terminal.out().println(protoJson.print(response));
        } catch (InvalidProtocolBufferException e) {
          terminal.err().println(DirectCall.fullMethodName(method) + ": the response cannot be written as proto3 JSON: "
              + e.getMessage());
          return EXIT_CALL_FAILED;
        }
        terminal.out().flush();
        return EXIT_OK;
      }
    }
  }

  /** The request text: the argument, or standard input for {@code -} or none; blank is the empty message. */
  private String readRequest(Terminal terminal) throws CallUsageException {
    String text = options.request;
    if (text == null || text.equals("-")) {
      if (terminal.interactive()) {
        terminal.err().println("reading the request (proto3 JSON) from standard input; end it with Ctrl-D");
      }
      try {
        text = new String(terminal.in().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new CallUsageException("cannot read the request from standard input: " + e.getMessage(), e);
      }
    }
    return text.isBlank() ? "{}" : text;
  }

  private static DynamicMessage parseRequest(ProtoJson protoJson, String json, MethodDescriptor method)
      throws CallUsageException {
    try {
      return protoJson.parse(json, method.getInputType(), "request");
    } catch (ProtoJson.InvalidJsonException e) {
      throw new CallUsageException(DirectCall.fullMethodName(method) + ": the request is not a valid "
          + method.getInputType().getFullName() + " in proto3 JSON: " + e.getMessage(), e);
    }
  }

  /** The call as a host would make it: the request size checked, the deadline and metadata given. */
  private DynamicMessage call(MethodDescriptor method, ScriptPool scripts, DynamicMessage request,
      Map<String, List<String>> metadata, Map<String, List<byte[]>> binaryMetadata, int maxMessageSize,
      ResponseMetadata responseMetadata)
      throws InterruptedException {
    String fullMethodName = DirectCall.fullMethodName(method);
    int size = request.getSerializedSize();
    if (size > maxMessageSize) {
      throw new CallFailure("RESOURCE_EXHAUSTED", fullMethodName + ": the request is " + size
          + " bytes, more than the maximum message size of " + maxMessageSize + " bytes");
    }
    Optional<Instant> deadline = Optional.ofNullable(options.timeout).map(Instant.now()::plus);
    var context = new CallContext(fullMethodName, metadata, deadline, new CallCancellation())
        .withBinaryMetadata(() -> binaryMetadata)
        .withResponseMetadata(responseMetadata);
    try {
      return DirectCall.unary(method, scripts.handlers(), request, context).get();
    } catch (ExecutionException e) {
      throw DirectCall.failureOf(e);
    }
  }
}
