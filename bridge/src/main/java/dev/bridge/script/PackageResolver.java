package dev.bridge.script;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Finds the file a package specifier names, as Node does, within the plugin's directory: {@code "yaml"},
 * {@code "@scope/pkg/sub"} in the {@code node_modules} of the importing file's directory and of each directory
 * above it up to the plugin's directory (never beyond); {@code "#internal"} through the {@code "imports"} of the
 * importing file's {@code package.json}; {@code "./x"} for {@code require}. Inside a package: {@code "exports"}
 * (conditions {@code import}, {@code module}, {@code default} for {@code import}; {@code require}, {@code default}
 * for {@code require}), else {@code "module"} (for {@code import}), {@code "main"}, {@code index.js}. Symbolic
 * links are followed and must stay inside the plugin's directory (a pnpm store there is fine). A Node built-in
 * ({@code node:fs}, or {@code fs} when no package of that name is installed) is refused naming what exists.
 */
final class PackageResolver {
  /** Whether the specifier is imported by an ES module or required by CommonJS: the conditions differ. */
  enum Mode {
    IMPORT(Set.of("import", "module")), REQUIRE(Set.of("require"));

    final Set<String> conditions;

    Mode(Set<String> conditions) {
      this.conditions = conditions;
    }
  }

  private final Path root;
  private final PackageJsonFiles packageJsons;

  /** @param root the real path of the plugin's directory */
  PackageResolver(Path root, PackageJsonFiles packageJsons) {
    this.root = root;
    this.packageJsons = packageJsons;
  }

  /** A specifier that names a package (or a Node built-in), not a file: neither relative, absolute nor a URL. */
  static boolean isBare(String specifier) {
    return !specifier.isEmpty() && !specifier.startsWith("/") && !specifier.startsWith("./")
        && !specifier.startsWith("../") && !specifier.equals(".") && !specifier.equals("..")
        && !specifier.contains(":");
  }

  /**
   * The real path of the file a bare or {@code #} specifier names for {@code referrer} (a file's real path).
   */
  Path resolvePackage(String specifier, Path referrer, Mode mode) throws ModuleNotFoundException {
    String by = referrer.toString();
    if (specifier.startsWith("node:")) {
      throw new ModuleNotFoundException(NodeBuiltins.refusal(specifier, by));
    }
    if (specifier.startsWith("#")) {
      return resolveImportsField(specifier, referrer, mode);
    }
    int slash = specifier.indexOf('/');
    if (specifier.startsWith("@")) {
      slash = slash < 0 ? -1 : specifier.indexOf('/', slash + 1);
    }
    String name = slash < 0 ? specifier : specifier.substring(0, slash);
    String subpath = slash < 0 ? "." : "." + specifier.substring(slash);
    if (name.isEmpty() || name.startsWith(".") || name.contains("\\") || (name.startsWith("@") && !name.contains("/"))) {
      throw new ModuleNotFoundException("\"" + specifier + "\" (imported by " + by + ") is not a valid package name");
    }
    List<Path> looked = new ArrayList<>();
    for (Path dir = referrer.getParent(); dir != null && dir.startsWith(root); dir = dir.getParent()) {
      if (dir.getFileName() != null && dir.getFileName().toString().equals("node_modules")) {
        continue;
      }
      Path modules = dir.resolve("node_modules");
      looked.add(modules);
      Path packageDir = modules.resolve(name);
      if (Files.isDirectory(packageDir)) {
        return inPackage(name, confined(packageDir, "package \"" + name + "\""), subpath, mode, by);
      }
    }
    if (NodeBuiltins.isBuiltin(specifier)) {
      // A package named like a built-in (events, buffer, util: browser polyfills) is used when installed.
      throw new ModuleNotFoundException(NodeBuiltins.refusal(specifier, by));
    }
    throw new ModuleNotFoundException("cannot find package \"" + name + "\" imported by " + by + ": looked in "
        + looked.stream().map(Path::toString).collect(Collectors.joining(", "))
        + " (install it with npm in the plugin's directory " + root + ")");
  }

  /** The real path of the file {@code require("./x")} names for {@code referrer}: x, x.js, x.json, x/index.js... */
  Path resolveRelative(String specifier, Path referrer) throws ModuleNotFoundException {
    Path target = referrer.getParent().resolve(specifier).normalize();
    Optional<Path> file = fileOrDirectory(target);
    if (file.isEmpty()) {
      throw new ModuleNotFoundException("cannot find module \"" + specifier + "\" required by " + referrer
          + ": no file " + target + " (nor with .js, .json, nor a directory with an index.js)");
    }
    return confined(file.get(), "\"" + specifier + "\" required by " + referrer);
  }

  private Path inPackage(String name, Path packageDir, String subpath, Mode mode, String by)
      throws ModuleNotFoundException {
    Map<String, Object> json = packageJsons.in(packageDir).orElse(Map.of());
    Path manifest = packageDir.resolve("package.json");
    Object exports = json.get("exports");
    if (exports != null) {
      String target = PackageExports.target(exports, subpath, mode.conditions);
      if (target == null && mode == Mode.IMPORT) {
        // CommonJS loads from ES modules too: a package that exports only for require is still importable.
        target = PackageExports.target(exports, subpath, Mode.REQUIRE.conditions);
      }
      if (target == null) {
        throw new ModuleNotFoundException("package \"" + name + "\" (imported by " + by + ") does not export \""
            + subpath + "\" for " + conditionsOf(mode) + ": see \"exports\" in " + manifest);
      }
      return existing(packageDir, target, name, "\"exports\"", manifest);
    }
    if (!subpath.equals(".")) {
      Path target = packageDir.resolve(subpath.substring(2)).normalize();
      return confined(fileOrDirectory(target).orElseThrow(() -> new ModuleNotFoundException("package \"" + name
          + "\" (imported by " + by + ") has no file " + target)), "package \"" + name + "\"");
    }
    for (String field : mode == Mode.IMPORT ? List.of("module", "main") : List.of("main")) {
      String target = PackageJsonFiles.string(json, field);
      if (target != null) {
        return existing(packageDir, target, name, "\"" + field + "\"", manifest);
      }
    }
    Path index = packageDir.resolve("index.js");
    if (Files.isRegularFile(index)) {
      return confined(index, "package \"" + name + "\"");
    }
    throw new ModuleNotFoundException("package \"" + name + "\" (imported by " + by + ") has no entry point: "
        + manifest + " has no \"exports\", \"module\" or \"main\", and there is no " + index);
  }

  private Path existing(Path packageDir, String target, String name, String field, Path manifest)
      throws ModuleNotFoundException {
    Path file = packageDir.resolve(target).normalize();
    if (!file.startsWith(packageDir)) {
      throw new ModuleNotFoundException("package \"" + name + "\": " + field + " in " + manifest + " names "
          + target + ", outside the package");
    }
    return confined(fileOrDirectory(file).orElseThrow(() -> new ModuleNotFoundException("package \"" + name
        + "\": " + field + " in " + manifest + " names " + target + ", which does not exist")),
        "package \"" + name + "\"");
  }

  private Path resolveImportsField(String specifier, Path referrer, Mode mode) throws ModuleNotFoundException {
    Optional<Path> scope = packageJsons.scopeOf(referrer.getParent());
    Object imports = scope.isEmpty() ? null : packageJsons.in(scope.get()).orElseThrow().get("imports");
    String target = imports instanceof Map<?, ?> ? PackageExports.target(imports, specifier, mode.conditions) : null;
    if (target == null) {
      throw new ModuleNotFoundException("\"" + specifier + "\" (imported by " + referrer + ") is not defined in the "
          + "\"imports\" of " + scope.map(d -> d.resolve("package.json").toString()).orElse("any package.json"));
    }
    if (target.startsWith("./")) {
      return existing(scope.get(), target, specifier, "\"imports\"", scope.get().resolve("package.json"));
    }
    return resolvePackage(target, referrer, mode);
  }

  /** A file as Node's require finds it: the path, then with .js or .json, then a directory's main or index.js. */
  private Optional<Path> fileOrDirectory(Path path) throws ModuleNotFoundException {
    if (Files.isRegularFile(path)) {
      return Optional.of(path);
    }
    for (String extension : List.of(".js", ".json")) {
      Path withExtension = path.resolveSibling(path.getFileName() + extension);
      if (Files.isRegularFile(withExtension)) {
        return Optional.of(withExtension);
      }
    }
    if (Files.isDirectory(path)) {
      String main = packageJsons.in(path).map(j -> PackageJsonFiles.string(j, "main")).orElse(null);
      if (main != null && !path.resolve(main).normalize().equals(path)) {
        Optional<Path> found = fileOrDirectory(path.resolve(main).normalize());
        if (found.isPresent()) {
          return found;
        }
      }
      for (String index : List.of("index.js", "index.json")) {
        if (Files.isRegularFile(path.resolve(index))) {
          return Optional.of(path.resolve(index));
        }
      }
    }
    return Optional.empty();
  }

  /** The real path, refused when a link leads out of the plugin's directory. */
  private Path confined(Path path, String what) throws ModuleNotFoundException {
    try {
      Path real = path.toRealPath();
      if (!real.startsWith(root)) {
        throw new ModuleNotFoundException(what + ": " + path + " links to " + real
            + ", outside the plugin's directory " + root + " (copy the package in, or install it there)");
      }
      return real;
    } catch (IOException e) {
      throw new ModuleNotFoundException(what + ": cannot read " + path + ": " + e.getMessage());
    }
  }

  private static String conditionsOf(Mode mode) {
    return mode == Mode.IMPORT ? "import (conditions \"import\", \"module\", \"default\")"
        : "require (conditions \"require\", \"default\")";
  }
}
