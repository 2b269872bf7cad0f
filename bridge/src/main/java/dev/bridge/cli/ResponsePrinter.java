package dev.bridge.cli;

import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.ResponseMetadata;
import java.io.PrintStream;
import java.util.Optional;

/**
 * Where {@code bridgejs call} writes a call's answer: the one response of a unary or client-streaming method in
 * indented proto3 JSON, each response of a stream as one line of JSON as it comes (flushed, so that a pipe sees
 * it at once); the response headers on stderr before the first response, or with the status when there is none.
 */
final class ResponsePrinter {
  private final PrintStream out;
  private final PrintStream err;
  private final ProtoJson json;
  private final ResponseMetadata metadata;
  private final String fullMethodName;
  private boolean headersPrinted;

  ResponsePrinter(PrintStream out, PrintStream err, ProtoJson json, ResponseMetadata metadata, String fullMethodName) {
    this.out = out;
    this.err = err;
    this.json = json;
    this.metadata = metadata;
    this.fullMethodName = fullMethodName;
  }

  /**
   * One response of a stream, on its line. Empty when printed; else why the call cannot go on: the response is
   * no proto3 JSON ({@code INTERNAL}), or nobody reads standard output any more ({@code CANCELLED}).
   */
  synchronized Optional<CallFailure> line(DynamicMessage response) {
    String text;
    try {
      text = json.printLine(response);
    } catch (InvalidProtocolBufferException e) {
      return Optional.of(notJson(e));
    }
    headers();
    out.println(text);
    out.flush();
    if (out.checkError()) {
      return Optional.of(new CallFailure("CANCELLED", fullMethodName + ": standard output was closed"));
    }
    return Optional.empty();
  }

  /** The one response of a call that has one, after its headers and trailers; empty when printed. */
  synchronized Optional<CallFailure> whole(DynamicMessage response) {
    headers();
    trailers();
    try {
      out.println(json.print(response));
    } catch (InvalidProtocolBufferException e) {
      return Optional.of(notJson(e));
    }
    out.flush();
    return Optional.empty();
  }

  /** A stream's end, OK: its trailers (and the headers, if no response carried them). */
  synchronized void ended() {
    headers();
    trailers();
  }

  /** As a host sees a failed call: the headers (unless sent already), the status, its details, the trailers. */
  synchronized void failed(CallFailure failure) {
    headers();
    err.println(failure.code() + ": " + failure.getMessage());
    CallMetadataPrinter.printDetails(err, json, failure);
    trailers();
  }

  private CallFailure notJson(InvalidProtocolBufferException e) {
    return new CallFailure("INTERNAL", fullMethodName + ": the response cannot be written as proto3 JSON: "
        + e.getMessage(), e);
  }

  private void headers() {
    if (!headersPrinted) {
      headersPrinted = true;
      CallMetadataPrinter.printHeaders(err, metadata);
    }
  }

  private void trailers() {
    CallMetadataPrinter.printTrailers(err, metadata);
  }
}
