package dev.bridge.script;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ES module an {@code import} of a CommonJS file gets instead of its text: it runs the file through
 * {@link CommonJsModules} and exports {@code module.exports} as {@code default}, as Node does, and as named exports
 * the names the file visibly assigns ({@code exports.x =}, {@code Object.defineProperty(exports, "x"},
 * {@code module.exports = { x, y: ... }}), a cheap subset of Node's lexer.
 */
final class CommonJsFacade {
  /** The global (under {@code Symbol.for}) through which facades reach the loader. */
  static final String LOADER_SYMBOL = "bridge.commonjs";

  private static final String NAME = "[A-Za-z_$][\\w$]*";
  private static final Pattern ASSIGNED = Pattern.compile("(?<![\\w$.])(?:module\\.)?exports\\.(" + NAME + ")\\s*=(?!=)");
  private static final Pattern DEFINED = Pattern.compile(
      "Object\\.defineProperty\\(\\s*(?:module\\.)?exports\\s*,\\s*[\"'](" + NAME + ")[\"']");
  private static final Pattern LITERAL = Pattern.compile("module\\.exports\\s*=\\s*\\{([^{}]*)\\}");
  private static final Pattern LITERAL_KEY = Pattern.compile("^\\s*(" + NAME + ")\\s*(?::|$)");
  private static final Set<String> RESERVED = Set.of("default", "break", "case", "catch", "class", "const", "continue",
      "debugger", "delete", "do", "else", "enum", "export", "extends", "false", "finally", "for", "function", "if",
      "import", "in", "instanceof", "new", "null", "return", "super", "switch", "this", "throw", "true", "try",
      "typeof", "var", "void", "while", "with", "yield", "let", "static", "implements", "interface", "package",
      "private", "protected", "public", "await", "arguments", "eval", "$cjs");

  private CommonJsFacade() {}

  static String source(Path file, String commonJsText) {
    StringBuilder source = new StringBuilder()
        .append("const $cjs = globalThis[Symbol.for('").append(LOADER_SYMBOL).append("')](")
        .append(quoted(file.toString())).append(");\nexport default $cjs;\n");
    Set<String> names = exportNames(commonJsText);
    if (!names.isEmpty()) {
      source.append("export const { ").append(String.join(", ", names)).append(" } = $cjs ?? {};\n");
    }
    return source.toString();
  }

  private static String quoted(String text) {
    try {
      return JSON.std.asString(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Set<String> exportNames(String text) {
    Set<String> names = new TreeSet<>();
    for (Pattern pattern : new Pattern[] {ASSIGNED, DEFINED}) {
      Matcher m = pattern.matcher(text);
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    Matcher literal = LITERAL.matcher(text);
    while (literal.find()) {
      for (String entry : literal.group(1).split(",")) {
        Matcher key = LITERAL_KEY.matcher(entry);
        if (key.find()) {
          names.add(key.group(1));
        }
      }
    }
    names.removeAll(RESERVED);
    return names;
  }
}
