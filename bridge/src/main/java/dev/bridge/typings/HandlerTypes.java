package dev.bridge.typings;

import com.google.protobuf.Descriptors.MethodDescriptor;
import dev.bridge.rpc.CallShape;

/**
 * The TypeScript function type of a method's handler, by the method's call shape (README, "The JavaScript API"):
 *
 * <ul>
 *   <li>unary: {@code (request: Req, context) => Res | Promise<Res>};
 *   <li>server streaming: {@code (request: Req, context) => AsyncIterable<Res>}, which an {@code async function*}
 *       (an {@code AsyncGenerator<Res>}) and any object with {@code [Symbol.asyncIterator]} satisfy;
 *   <li>client streaming: {@code (requests: AsyncIterable<Req>, context) => Res | Promise<Res>};
 *   <li>bidi streaming: {@code (requests: AsyncIterable<Req>, context) => AsyncIterable<Res>}.
 * </ul>
 *
 * {@code Res} is what the handler may return for one response: each yielded value of a stream follows the rules of
 * a unary call's returned value.
 */
final class HandlerTypes {
  private final DeclaredNames names;
  private final TsTypes types;

  HandlerTypes(DeclaredNames names, TsTypes types) {
    this.names = names;
    this.types = types;
  }

  /**
   * A client's method of this method's shape ({@code broker.dial}), as seen from {@code scope}: what the script sends
   * is what a handler may return, what it gets is what a handler receives; unary and client streaming resolve to the
   * response, server streaming and bidi return the responses as an async iterable; a stream of requests is any
   * iterable or async iterable.
   */
  String client(MethodDescriptor method, TsScope scope) {
    CallShape shape = CallShape.of(method);
    String request = types.response(method.getInputType(), scope);
    String response = types.receivedMessage(method.getOutputType(), scope);
    String parameter = HandlerForm.of(method).parameter() + ": " + (shape.clientStreams()
        ? scope.global("AsyncIterable") + "<" + request + "> | " + scope.global("Iterable") + "<" + request + ">"
        : request);
    String result = shape.serverStreams() ? scope.global("AsyncIterable") + "<" + response + ">"
        : scope.global("Promise") + "<" + response + ">";
    return "(" + parameter + ", options?: " + scope.global("BrokerCallOptions") + ") => " + result;
  }

  /** The handler's type, written as seen from {@code scope} (the service's namespace). */
  String of(MethodDescriptor method, TsScope scope) {
    CallShape shape = CallShape.of(method);
    String request = types.receivedMessage(method.getInputType(), scope);
    String response = types.response(method.getOutputType(), scope);
    String context = names.helper(Helpers.CALL_CONTEXT).from(scope);
    String iterable = scope.global("AsyncIterable");
    String parameters = HandlerForm.of(method).parameter() + ": "
        + (shape.clientStreams() ? iterable + "<" + request + ">" : request);
    String result = shape.serverStreams()
        ? iterable + "<" + response + ">"
        : response + " | " + scope.global("Promise") + "<" + response + ">";
    return "(" + parameters + ", context: " + context + ") => " + result;
  }
}
