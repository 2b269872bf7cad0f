package dev.bridge.cli;

/**
 * {@code bridgejs call} was asked for something the plugin does not have: a method it does not define, a
 * request that is not its input type in proto3 JSON, metadata that is not {@code key=value}. The message
 * says what would have been right.
 */
final class CallUsageException extends Exception {
  CallUsageException(String message) {
    super(message);
  }

  CallUsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
