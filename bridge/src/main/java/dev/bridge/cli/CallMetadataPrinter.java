package dev.bridge.cli;

import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.ResponseMetadata;
import java.io.PrintStream;
import java.util.Base64;
import java.util.List;

/**
 * What {@code bridgejs call} prints on stderr besides the response, one item a line so that scripts can
 * {@code grep}: the handler's response headers ({@code header x-foo: bar}) and trailers
 * ({@code trailer x-foo: bar}; a {@code -bin} value in base64, as gRPC carries it), and after a failure's
 * {@code CODE: message} line each error detail as one line of proto3 JSON ({@code detail: {"@type": ...}}).
 */
final class CallMetadataPrinter {
  private CallMetadataPrinter() {}

  static void printHeaders(PrintStream err, ResponseMetadata response) {
    print(err, "header", response.headers());
  }

  static void printTrailers(PrintStream err, ResponseMetadata response) {
    print(err, "trailer", response.trailers());
  }

  private static void print(PrintStream err, String kind, List<ResponseMetadata.Entry> entries) {
    for (ResponseMetadata.Entry entry : entries) {
      String value = entry.value() instanceof byte[] bytes
          ? Base64.getEncoder().withoutPadding().encodeToString(bytes)
          : (String) entry.value();
      err.println(kind + " " + entry.name() + ": " + value);
    }
  }

  static void printDetails(PrintStream err, ProtoJson json, CallFailure failure) {
    for (int i = 0; i < failure.details().size(); i++) {
      try {
        err.println("detail: " + json.printLine(failure.details().get(i)));
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        err.println("detail: details[" + i + "] of type " + failure.details().get(i).getTypeUrl()
            + " cannot be written as proto3 JSON: " + ProtoJson.reason(e));
      }
    }
  }
}
