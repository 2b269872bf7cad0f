package dev.bridge.script;

import java.nio.file.Path;
import java.util.Set;

/**
 * A script could not be loaded: the file is missing or unreadable, it has a syntax error, or it threw
 * while its module was evaluated. The message is meant for the user at start-up and names the file,
 * and where known the line and column ({@code file:line:col}) with the offending source line.
 */
public final class ScriptLoadException extends Exception {
  private Set<Path> modulesRead = Set.of();

  public ScriptLoadException(String message) {
    super(message);
  }

  public ScriptLoadException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The script and the modules it had read when loading failed (the broken one among them), so that
   * dev mode can watch a module a failed version was the first to import.
   */
  public Set<Path> modulesRead() {
    return modulesRead;
  }

  ScriptLoadException withModulesRead(Set<Path> modules) {
    this.modulesRead = Set.copyOf(modules);
    return this;
  }
}
