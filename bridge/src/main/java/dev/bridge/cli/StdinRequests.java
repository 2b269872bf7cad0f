package dev.bridge.cli;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.DirectCall;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The requests of a client-streaming or bidi call made by {@code bridgejs call}: standard input as JSON lines, one
 * request in proto3 JSON a line, blank lines skipped, read one line at a time as the handler pulls requests (so a
 * person typing, or a slow producer piping, talks with the handler as it goes). The end of input is the
 * half-close. A line that is no request of the method's type throws {@link InvalidLineException} naming its line
 * number and the refused field; one over the maximum message size is {@code RESOURCE_EXHAUSTED}, as a host's would be.
 */
final class StdinRequests implements Iterator<DynamicMessage> {
  /** A line of standard input that is no request, or input that cannot be read: the caller's fault. */
  static final class InvalidLineException extends RuntimeException {
    InvalidLineException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final BufferedReader lines;
  private final ProtoJson json;
  private final MethodDescriptor method;
  private final int maxMessageSize;
  private int lineNumber;
  private DynamicMessage next;
  private boolean ended;

  StdinRequests(InputStream in, ProtoJson json, MethodDescriptor method, int maxMessageSize) {
    this.lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    this.json = json;
    this.method = method;
    this.maxMessageSize = maxMessageSize;
  }

  @Override
  public boolean hasNext() {
    if (next == null && !ended) {
      next = read();
      ended = next == null;
    }
    return next != null;
  }

  @Override
  public DynamicMessage next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no more requests on standard input");
    }
    DynamicMessage taken = next;
    next = null;
    return taken;
  }

  /** The next request, or null at the end of input. */
  private DynamicMessage read() {
    String fullMethodName = DirectCall.fullMethodName(method);
    while (true) {
      String line;
      try {
        line = lines.readLine();
      } catch (IOException e) {
        throw new InvalidLineException(fullMethodName + ": cannot read the requests from standard input (after line "
            + lineNumber + "): " + e.getMessage(), e);
      }
      if (line == null) {
        return null;
      }
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      DynamicMessage request;
      try {
        request = json.parseLine(line, method.getInputType(), "request");
      } catch (ProtoJson.InvalidJsonException e) {
        throw new InvalidLineException(fullMethodName + ": stdin line " + lineNumber + " is not a valid "
            + method.getInputType().getFullName() + " in proto3 JSON (one request a line): " + e.getMessage(), e);
      }
      RequestSize.check(fullMethodName, "stdin line " + lineNumber, request, maxMessageSize);
      return request;
    }
  }
}
