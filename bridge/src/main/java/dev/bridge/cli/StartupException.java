package dev.bridge.cli;

/** A plugin that cannot start as configured; the message names the file, field or option at fault. */
final class StartupException extends Exception {
  StartupException(String message) {
    super(message);
  }

  StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
