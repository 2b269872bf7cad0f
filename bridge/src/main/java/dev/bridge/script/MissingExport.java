package dev.bridge.script;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;

/**
 * Where a missing named export was asked for. GraalJS reports "The requested module './kv.js' does not
 * provide an export named 'missing'" at the importing module's first character; this finds the
 * {@code import} (or {@code export ... from}) of that module that names the binding, and the name in it.
 */
final class MissingExport {
  private static final Pattern MESSAGE = Pattern.compile(
      "The requested module '([^']*)' does not provide an export named '([^']*)'");

  private MissingExport() {}

  /** A place in a source: 1-based line and column. */
  record Place(Source source, int line, int column) {
    static Place at(Source source, int charIndex) {
      return new Place(source, source.getLineNumber(charIndex), source.getColumnNumber(charIndex));
    }
  }

  /** The name in the statement that asks for it; the statement for a default import; else empty. */
  static Optional<Place> locate(String message, SourceSection reported) {
    Matcher m = message == null ? null : MESSAGE.matcher(message);
    if (m == null || !m.find() || reported == null || !reported.getSource().hasCharacters()) {
      return Optional.empty();
    }
    Source source = reported.getSource();
    String text = source.getCharacters().toString();
    String module = Pattern.quote(m.group(1));
    String name = m.group(2);
    // import { a, b as c } from './kv.js' / export { a } from './kv.js' / import d, { a } from './kv.js'
    Pattern named = Pattern.compile("\\b(?:import|export)\\s*(?:[\\w$]+\\s*,\\s*)?\\{([^}]*)\\}\\s*from\\s*(['\"])"
        + module + "\\2");
    Pattern binding = Pattern.compile("(?<![\\w$.])" + Pattern.quote(name) + "(?![\\w$])");
    Matcher statement = named.matcher(text);
    while (statement.find()) {
      Matcher inBraces = binding.matcher(text).region(statement.start(1), statement.end(1));
      while (inBraces.find()) {
        if (!isRenamedTo(text, statement.start(1), inBraces.start())) {
          return Optional.of(Place.at(source, inBraces.start()));
        }
      }
    }
    if (name.equals("default")) {
      Matcher defaultImport = Pattern.compile("\\bimport\\s+[\\w$]+\\s*(?:,[^;]*?)?from\\s*(['\"])" + module + "\\1")
          .matcher(text);
      if (defaultImport.find()) {
        return Optional.of(Place.at(source, defaultImport.start()));
      }
    }
    return Optional.empty();
  }

  /** Whether the name at {@code at} is the local name of {@code x as name}, not an imported one. */
  private static boolean isRenamedTo(String text, int from, int at) {
    String before = text.substring(from, at).stripTrailing();
    return before.endsWith(" as") || before.endsWith("\tas") || before.endsWith("\nas");
  }
}
