package dev.bridge.script;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a module file is loaded: as an ES module, as CommonJS (wrapped, {@link CommonJsModules}) or as JSON. As in
 * Node: {@code .mjs} is ESM, {@code .cjs} CommonJS, and a {@code .js} file follows the {@code "type"} of its nearest
 * {@code package.json}. A {@code .js} file with no {@code "type":"module"} is CommonJS inside {@code node_modules}
 * or under {@code "type":"commonjs"} unless it has {@code import}/{@code export} statements (Node's syntax
 * detection: packages whose {@code "module"} field names ES modules declare no type); the plugin's own
 * {@code .js} files stay ES modules otherwise when imported, as they always were.
 */
enum ModuleFormat {
  ESM, COMMONJS, JSON;

  /** A line starting an {@code import} or {@code export} statement ({@code import(}, {@code exports.x} do not count). */
  private static final Pattern ESM_SYNTAX = Pattern.compile(
      "(?m)^[ \\t]*(?:import(?:[ \\t]+[\\w$*{]|[ \\t]*[{*\"'])|export(?:[ \\t]+[\\w$]|[ \\t]*[{*]))");

  /** How {@code import} loads the file. */
  static ModuleFormat of(Path file, PackageJsonFiles packages) throws ModuleNotFoundException {
    return of(file, packages, false);
  }

  /**
   * How {@code require} loads the file: as for {@code import}, except that one of the plugin's own {@code .js}
   * files with no {@code import}/{@code export} is CommonJS, as Node would have it.
   */
  static ModuleFormat required(Path file, PackageJsonFiles packages) throws ModuleNotFoundException {
    return of(file, packages, true);
  }

  private static ModuleFormat of(Path file, PackageJsonFiles packages, boolean required)
      throws ModuleNotFoundException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".json")) {
      return JSON;
    }
    if (name.endsWith(".mjs")) {
      return ESM;
    }
    if (name.endsWith(".cjs")) {
      return COMMONJS;
    }
    Optional<Path> scope = packages.scopeOf(file.getParent());
    Optional<Map<String, Object>> json = scope.isPresent() ? packages.in(scope.get()) : Optional.empty();
    String type = json.map(j -> PackageJsonFiles.string(j, "type")).orElse(null);
    if ("module".equals(type)) {
      return ESM;
    }
    if (!required && !"commonjs".equals(type) && !insideNodeModules(file)) {
      return ESM;
    }
    try {
      return ESM_SYNTAX.matcher(Files.readString(file)).find() ? ESM : COMMONJS;
    } catch (IOException e) {
      throw new ModuleNotFoundException(file + ": cannot read it: " + e.getMessage());
    }
  }

  private static boolean insideNodeModules(Path file) {
    for (Path part : file) {
      if (part.toString().equals("node_modules")) {
        return true;
      }
    }
    return false;
  }
}
