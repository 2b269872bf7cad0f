package dev.bridge.script;

/**
 * The cause of an {@code UNAVAILABLE} failure of a call that a closed script turned away before any of
 * its JavaScript ran, so that the call can safely be given to the version that replaced it.
 */
final class ScriptClosedException extends RuntimeException {
  ScriptClosedException(String script) {
    super("the script " + script + " is closed; the call did not start", null, false, false);
  }
}
