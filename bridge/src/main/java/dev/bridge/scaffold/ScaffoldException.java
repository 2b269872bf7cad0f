package dev.bridge.scaffold;

/** A starter plugin that cannot be written; the message names the file or option at fault. */
public final class ScaffoldException extends Exception {
  public ScaffoldException(String message) {
    super(message);
  }

  public ScaffoldException(String message, Throwable cause) {
    super(message, cause);
  }
}
