package dev.bridge.rpc;

/**
 * A {@link LocalCall} whose caller's requests could not be read (its iterator threw, e.g. a line of standard
 * input that is no request): the call was cancelled, and this is its outcome rather than a status, being the
 * caller's fault rather than the handler's. The cause is what the iterator threw.
 */
public final class RequestsFailedException extends RuntimeException {
  RequestsFailedException(String fullMethodName, RuntimeException cause) {
    super(fullMethodName + ": the caller's requests failed: " + cause.getMessage(), cause);
  }
}
