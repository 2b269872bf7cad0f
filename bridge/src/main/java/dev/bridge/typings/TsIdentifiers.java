package dev.bridge.typings;

import java.util.Set;

/** Proto names as TypeScript identifiers: the few that TypeScript keeps for itself get a trailing underscore. */
final class TsIdentifiers {
  /** Reserved words, also those of strict mode (scripts and declaration files are modules). */
  private static final Set<String> JS_RESERVED = Set.of(
      "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else",
      "enum", "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof",
      "new", "null", "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void",
      "while", "with", "implements", "interface", "let", "package", "private", "protected", "public", "static",
      "yield", "await");

  /** Names an interface or a type alias cannot have, and the name references to shadowed globals go through. */
  private static final Set<String> TYPE_RESERVED = Set.of(
      "any", "unknown", "never", "object", "string", "number", "boolean", "symbol", "bigint", "undefined",
      "globalThis");

  private TsIdentifiers() {}

  static String of(String protoName) {
    return JS_RESERVED.contains(protoName) || TYPE_RESERVED.contains(protoName) ? protoName + "_" : protoName;
  }
}
