package dev.bridge.cli;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.CallContext;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.CallShape;
import dev.bridge.rpc.DirectCall;
import dev.bridge.rpc.Handlers;
import dev.bridge.rpc.RequestsFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The call {@code bridgejs call} makes, of any shape: a method that takes one request reads it from the argument
 * or standard input, whole; one that takes a stream reads standard input as JSON lines while the handler pulls
 * them ({@link StdinRequests}). The answer is printed as it comes ({@link ResponsePrinter}), and the outcome is
 * the command's exit code: a stream failing after some responses leaves them on stdout and its status on stderr.
 */
final class MethodCall {
  private final CallCommand.Terminal terminal;
  private final ProtoJson json;
  private final MethodDescriptor method;
  private final Handlers handlers;
  private final CallContext context;
  private final int maxMessageSize;
  private final String fullMethodName;
  private final ResponsePrinter printer;

  MethodCall(CallCommand.Terminal terminal, ProtoJson json, MethodDescriptor method, Handlers handlers,
      CallContext context, int maxMessageSize) {
    this.terminal = terminal;
    this.json = json;
    this.method = method;
    this.handlers = handlers;
    this.context = context;
    this.maxMessageSize = maxMessageSize;
    this.fullMethodName = DirectCall.fullMethodName(method);
    this.printer = new ResponsePrinter(terminal.out(), terminal.err(), json, context.responseMetadata(), fullMethodName);
  }

  /**
   * Makes the call and prints its outcome.
   *
   * @param argument the request given on the command line: proto3 JSON, or {@code -} or null for standard input
   */
  int run(String argument) throws CallUsageException, InterruptedException {
    CallShape shape = CallShape.of(method);
    if (shape.clientStreams()) {
      if (argument != null && !argument.equals("-")) {
        throw new CallUsageException(fullMethodName + " is " + shape.label() + ": its requests are read from "
            + "standard input, one JSON object a line, not given as an argument");
      }
      hint("reading the requests (proto3 JSON, one object a line) from standard input; end them with Ctrl-D");
    }
    DynamicMessage request = shape.clientStreams() ? null : parseRequest(readRequest(argument));
    CompletableFuture<Optional<DynamicMessage>> call;
    try {
      call = start(shape, request);
    } catch (CallFailure refused) {
      printer.failed(refused);
      return CallCommand.EXIT_CALL_FAILED;
    }
    Optional<DynamicMessage> response;
    try {
      response = call.get();
    } catch (ExecutionException e) {
      return failed(e);
    }
    if (response.isEmpty()) {
      printer.ended();
      return CallCommand.EXIT_OK;
    }
    Optional<CallFailure> unprintable = printer.whole(response.get());
    unprintable.ifPresent(failure -> terminal.err().println(failure.code() + ": " + failure.getMessage()));
    return unprintable.isPresent() ? CallCommand.EXIT_CALL_FAILED : CallCommand.EXIT_OK;
  }

  /** The call under way; its result is the one response of a method that has one, empty for a stream. */
  private CompletableFuture<Optional<DynamicMessage>> start(CallShape shape, DynamicMessage request) {
    if (request != null) {
      RequestSize.check(fullMethodName, "the request", request, maxMessageSize);
    }
    Consumer<DynamicMessage> each = response -> printer.line(response).ifPresent(context.cancellation()::cancel);
    return switch (shape) {
      case UNARY -> DirectCall.unary(method, handlers, request, context).thenApply(Optional::of);
      case SERVER_STREAMING -> DirectCall.serverStreaming(method, handlers, request, context, each)
          .thenApply(ok -> Optional.empty());
      case CLIENT_STREAMING -> DirectCall.clientStreaming(method, handlers, stdin(), context).thenApply(Optional::of);
      case BIDI_STREAMING -> DirectCall.bidiStreaming(method, handlers, stdin(), context, each)
          .thenApply(ok -> Optional.empty());
    };
  }

  private StdinRequests stdin() {
    return new StdinRequests(terminal.in(), json, method, maxMessageSize);
  }

  private int failed(ExecutionException e) {
    Throwable cause = DirectCall.unwrap(e);
    if (cause instanceof RequestsFailedException requests) {
      if (requests.getCause() instanceof CallFailure refused) {
        printer.failed(refused);  // a request too large, refused as a host's would be
        return CallCommand.EXIT_CALL_FAILED;
      }
      terminal.err().println(requests.getCause().getMessage());
      return CallCommand.EXIT_USAGE;
    }
    printer.failed(DirectCall.failureOf(cause));
    return CallCommand.EXIT_CALL_FAILED;
  }

  /** The request text: the argument, or standard input for {@code -} or none; blank is the empty message. */
  private String readRequest(String argument) throws CallUsageException {
    String text = argument;
    if (text == null || text.equals("-")) {
      hint("reading the request (proto3 JSON) from standard input; end it with Ctrl-D");
      try {
        text = new String(terminal.in().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new CallUsageException("cannot read the request from standard input: " + e.getMessage(), e);
      }
    }
    return text.isBlank() ? "{}" : text;
  }

  private void hint(String text) {
    if (terminal.interactive()) {
      terminal.err().println(text);
    }
  }

  private DynamicMessage parseRequest(String text) throws CallUsageException {
    try {
      return json.parse(text, method.getInputType(), "request");
    } catch (ProtoJson.InvalidJsonException e) {
      throw new CallUsageException(fullMethodName + ": the request is not a valid "
          + method.getInputType().getFullName() + " in proto3 JSON: " + e.getMessage(), e);
    }
  }
}
