package dev.bridge.typings;

/** Lines of TypeScript, indented by two spaces per open block. */
final class TsWriter {
  private final StringBuilder out = new StringBuilder();
  private int depth;

  TsWriter line(String text) {
    if (!text.isEmpty()) {
      out.append("  ".repeat(depth)).append(text);
    }
    out.append('\n');
    return this;
  }

  TsWriter blank() {
    // never two blank lines in a row, nor one right after an opening brace
    int length = out.length();
    boolean afterBlank = length >= 2 && out.charAt(length - 1) == '\n' && out.charAt(length - 2) == '\n';
    boolean afterOpen = length >= 2 && out.charAt(length - 2) == '{';
    if (length > 0 && !afterBlank && !afterOpen) {
      out.append('\n');
    }
    return this;
  }

  /** Lines already formatted at the root level, such as a template, indented to the current depth. */
  TsWriter block(String text) {
    text.lines().forEach(this::line);
    return this;
  }

  TsWriter doc(String text) {
    return line("/** " + text + " */");
  }

  TsWriter open(String header) {
    line(header + " {");
    depth++;
    return this;
  }

  TsWriter close() {
    depth--;
    // drop a blank line before the closing brace
    int length = out.length();
    if (length >= 2 && out.charAt(length - 1) == '\n' && out.charAt(length - 2) == '\n') {
      out.setLength(length - 1);
    }
    return line("}");
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
