package dev.bridge.script;

/**
 * A script could not be loaded: the file is missing or unreadable, it has a syntax error, or it threw
 * while its module was evaluated. The message is meant for the user at start-up and names the file,
 * and where known the line and column ({@code file:line:col}) with the offending source line.
 */
public final class ScriptLoadException extends Exception {
  public ScriptLoadException(String message) {
    super(message);
  }

  public ScriptLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
