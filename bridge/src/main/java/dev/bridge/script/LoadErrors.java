package dev.bridge.script;

import java.nio.file.Path;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;

/** Turns a failure while loading a script into a {@link ScriptLoadException} a user can act on. */
final class LoadErrors {
  private LoadErrors() {}

  static ScriptLoadException fromPolyglot(Path script, PolyglotException e) {
    if (e.isCancelled() || e.isExit() || e.isResourceExhausted() || e.isInterrupted()) {
      return new ScriptLoadException("loading " + script + " was stopped: " + e.getMessage(), e);
    }
    if (e.isHostException()) {
      return new ScriptLoadException("internal error while loading " + script + ": " + e.asHostException(), e);
    }
    SourceSection location = e.getSourceLocation();
    String where = location != null && location.isAvailable() ? describe(location) : script.toString();
    String what = e.isSyntaxError() ? "syntax error" : "error while evaluating the script";
    StringBuilder message = new StringBuilder()
        .append(where).append(": ").append(what).append(": ").append(cleanMessage(e.getMessage()));
    if (location != null && location.isAvailable() && location.hasLines()) {
      appendLine(message, location);
    }
    if (!e.isSyntaxError()) {
      for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
        if (frame.isGuestFrame() && frame.getSourceLocation() != null && !frame.getSourceLocation().getSource().isInternal()) {
          message.append("\n    at ").append(frame.getRootName() == null || frame.getRootName().isEmpty()
              ? "<module>" : frame.getRootName()).append(" (").append(describe(frame.getSourceLocation())).append(')');
        }
      }
    }
    return new ScriptLoadException(message.toString(), e);
  }

  /** {@code file:line:col}, the column 1-based. */
  static String describe(SourceSection location) {
    Source source = location.getSource();
    String file = source.getPath() != null ? source.getPath() : source.getName();
    if (!location.hasLines()) {
      return file;
    }
    return file + ":" + location.getStartLine() + (location.hasColumns() ? ":" + location.getStartColumn() : "");
  }

  private static void appendLine(StringBuilder message, SourceSection location) {
    Source source = location.getSource();
    int line = location.getStartLine();
    if (!source.hasCharacters() || line < 1 || line > source.getLineCount()) {
      return;
    }
    CharSequence characters = source.getCharacters(line);
    String text = characters.toString().stripTrailing();
    message.append("\n    ").append(text);
    if (location.hasColumns()) {
      int column = Math.max(1, location.getStartColumn());
      message.append("\n    ").append(" ".repeat(Math.min(column - 1, text.length()))).append('^');
    }
  }

  private static String cleanMessage(String message) {
    return message == null ? "(no message)" : message;
  }
}
