package dev.bridge.cli;

/**
 * Undoes the escapes JsonFormat writes for HTML's sake ({@code =} as {@code \u003d}, also {@code < > & '}): its
 * output goes to a terminal, a file or jq, where {@code "a\u003db"} only obscures {@code "a=b"}. Both are the same
 * JSON string, so nothing a JSON reader sees changes.
 */
final class HtmlSafeEscapes {
  private HtmlSafeEscapes() {}

  static String undo(String json) {
    if (json.indexOf("\\u00") < 0) {
      return json;
    }
    StringBuilder out = new StringBuilder(json.length());
    int i = 0;
    while (i < json.length()) {
      char c = json.charAt(i);
      if (c != '\\' || i + 1 >= json.length()) {
        out.append(c);
        i++;
        continue;
      }
      // An escape: kept whole unless it is one of the HTML-safe ones, so that "\\u003d" (a backslash, then
      // "u003d") stays as it is.
      char next = json.charAt(i + 1);
      if (next == 'u' && i + 6 <= json.length()) {
        char plain = htmlSafe(json.substring(i + 2, i + 6));
        if (plain != 0) {
          out.append(plain);
          i += 6;
          continue;
        }
      }
      out.append(c).append(next);
      i += 2;
    }
    return out.toString();
  }

  private static char htmlSafe(String hex) {
    return switch (hex) {
      case "003d" -> '=';
      case "003c" -> '<';
      case "003e" -> '>';
      case "0026" -> '&';
      case "0027" -> '\'';
      default -> 0;
    };
  }
}
