package dev.bridge.script;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    if (location == null || !location.isAvailable()) {
      location = firstGuestLocation(e);
    }
    MissingExport.Place place = null;
    if (location != null && location.isAvailable() && location.hasLines()) {
      place = new MissingExport.Place(location.getSource(), location.getStartLine(),
          location.hasColumns() ? location.getStartColumn() : 0);
    }
    if (e.isSyntaxError()) {
      place = MissingExport.locate(e.getMessage(), location).orElse(place);
    }
    String where = place != null ? describe(place) : location != null && location.isAvailable()
        ? describe(location) : script.toString();
    String what = e.isSyntaxError() ? "syntax error" : "error while evaluating the script";
    StringBuilder message = new StringBuilder()
        .append(where).append(": ").append(what).append(": ").append(cleanMessage(e.getMessage(), location));
    if (place != null) {
      appendLine(message, place);
    }
    if (!e.isSyntaxError()) {
      for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
        if (frame.isGuestFrame() && frame.getSourceLocation() != null && !frame.getSourceLocation().getSource().isInternal()) {
          String root = frame.getRootName();
          message.append("\n    at ").append(root == null || root.isEmpty() || root.startsWith(":") ? "<module>" : root)
              .append(" (").append(describe(frame.getSourceLocation())).append(')');
        }
      }
    }
    return new ScriptLoadException(message.toString(), e);
  }

  /** Loading was interrupted at its time limit (GraalJS does not say where it was stopped). */
  static ScriptLoadException tooSlow(Path script, java.time.Duration limit, Throwable interrupted) {
    return new ScriptLoadException(script + ": the script's top-level code did not finish within "
        + ScriptOptions.describe(limit) + " and was interrupted (an endless loop?)", interrupted);
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

  private static String describe(MissingExport.Place place) {
    Source source = place.source();
    String file = source.getPath() != null ? source.getPath() : source.getName();
    return file + ":" + place.line() + (place.column() > 0 ? ":" + place.column() : "");
  }

  private static void appendLine(StringBuilder message, MissingExport.Place place) {
    Source source = place.source();
    int line = place.line();
    if (!source.hasCharacters() || line < 1 || line > source.getLineCount()) {
      return;
    }
    String text = source.getCharacters(line).toString().stripTrailing();
    if (text.isBlank()) {
      return;
    }
    message.append("\n    ").append(text);
    if (place.column() > 0) {
      int column = place.column();
      message.append("\n    ").append(" ".repeat(Math.min(column - 1, text.length()))).append('^');
    }
  }

  private static SourceSection firstGuestLocation(PolyglotException e) {
    for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
      SourceSection location = frame.getSourceLocation();
      if (frame.isGuestFrame() && location != null && location.isAvailable() && !location.getSource().isInternal()) {
        return location;
      }
    }
    return null;
  }

  /** How GraalJS reports a module it could not read; the reason is the module file system's. */
  private static final Pattern UNREADABLE_MODULE =
      Pattern.compile("(?:Error: )?Error reading module '([^']*)' imported from (\\S+): (.*)", Pattern.DOTALL);

  /** The message without the {@code name:line:col} GraalJS puts in syntax errors (the location is shown already). */
  private static String cleanMessage(String message, SourceSection location) {
    if (message == null) {
      return "(no message)";
    }
    Matcher unreadable = UNREADABLE_MODULE.matcher(message);
    if (unreadable.matches()) {
      String reason = unreadable.group(3);
      // Package resolution's own messages name the importing file already.
      return reason.startsWith("cannot find package") || reason.startsWith("Node built-in module") ? reason
          : "cannot import \"" + unreadable.group(1) + "\" (imported by " + unreadable.group(2) + "): " + reason;
    }
    if (location != null && location.hasLines()) {
      // Syntax errors carry their own copy of the line and a caret; the caller shows those itself.
      int newline = message.indexOf('\n');
      if (newline >= 0) {
        message = message.substring(0, newline);
      }
      String prefix = location.getSource().getName() + ":";
      int at = message.indexOf(prefix);
      if (at >= 0) {
        int end = message.indexOf(' ', at);
        if (end > at && message.substring(at + prefix.length(), end).matches("\\d+(:\\d+)?")) {
          return message.substring(0, at) + message.substring(end + 1);
        }
      }
    }
    return message;
  }
}
