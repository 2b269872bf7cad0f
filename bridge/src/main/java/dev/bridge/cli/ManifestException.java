package dev.bridge.cli;

/** The plugin's configuration is wrong; the message names the file or option and the field at fault. */
final class ManifestException extends Exception {
  ManifestException(String message) {
    super(message);
  }

  ManifestException(String message, Throwable cause) {
    super(message, cause);
  }
}
