package dev.bridge.script;

/** A script's exports break {@link HandlerRule}: the message names the script, the export and what to write. */
public final class HandlerRuleException extends Exception {
  public HandlerRuleException(String message) {
    super(message);
  }
}
