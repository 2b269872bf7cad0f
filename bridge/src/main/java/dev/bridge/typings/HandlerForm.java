package dev.bridge.typings;

import com.google.protobuf.Descriptors.MethodDescriptor;
import dev.bridge.rpc.CallShape;

/**
 * How a handler of a method's shape is written in JavaScript, for the examples {@code bridgejs types} and
 * {@code bridgejs init} write: a streaming response is an async generator ({@code async *Count}), a stream of
 * requests is read with {@code for await}, so its handler is {@code async} and its parameter {@code requests}.
 */
public enum HandlerForm {
  UNARY("", "function ", "request"),
  SERVER_STREAMING("async *", "async function* ", "request"),
  CLIENT_STREAMING("async ", "async function ", "requests"),
  BIDI_STREAMING("async *", "async function* ", "requests");

  private final String methodPrefix;
  private final String functionKeyword;
  private final String parameter;

  HandlerForm(String methodPrefix, String functionKeyword, String parameter) {
    this.methodPrefix = methodPrefix;
    this.functionKeyword = functionKeyword;
    this.parameter = parameter;
  }

  public static HandlerForm of(MethodDescriptor method) {
    return switch (CallShape.of(method)) {
      case UNARY -> UNARY;
      case SERVER_STREAMING -> SERVER_STREAMING;
      case CLIENT_STREAMING -> CLIENT_STREAMING;
      case BIDI_STREAMING -> BIDI_STREAMING;
    };
  }

  /** In an object: {@code async *Count(request, context)}. */
  public String method(String name) {
    return methodPrefix + name + "(" + parameter + ", context)";
  }

  /** As a function declaration: {@code async function* Count(request, context)}. */
  public String function(String name) {
    return functionKeyword + name + "(" + parameter + ", context)";
  }

  /** The first parameter: {@code request}, or {@code requests} for a stream of them. */
  public String parameter() {
    return parameter;
  }
}
