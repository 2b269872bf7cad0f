package dev.bridge.script;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The {@code package.json} files module resolution reads, parsed once each. Every one read is reported (dev mode
 * watches it, {@code bridgejs pack} packs it: resolution at run time needs it as much as the modules).
 */
final class PackageJsonFiles {
  private final Path root;
  private final Consumer<Path> onRead;
  private final Map<Path, Optional<Map<String, Object>>> parsed = new ConcurrentHashMap<>();

  /** @param root the real path of the plugin's directory: no {@code package.json} above it is read */
  PackageJsonFiles(Path root, Consumer<Path> onRead) {
    this.root = root;
    this.onRead = onRead;
  }

  /** The {@code package.json} of this directory, if it has one. */
  Optional<Map<String, Object>> in(Path dir) throws ModuleNotFoundException {
    Path file = dir.resolve("package.json");
    Optional<Map<String, Object>> known = parsed.get(file);
    if (known != null) {
      return known;
    }
    Optional<Map<String, Object>> read = read(file);
    parsed.put(file, read);
    return read;
  }

  /** The directory of the nearest {@code package.json} at or above {@code dir}, within the plugin's directory. */
  Optional<Path> scopeOf(Path dir) throws ModuleNotFoundException {
    for (Path d = dir; d != null && d.startsWith(root); d = d.getParent()) {
      if (in(d).isPresent()) {
        return Optional.of(d);
      }
      if (d.getFileName() != null && d.getFileName().toString().equals("node_modules")) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** A string field of a {@code package.json}, or null. */
  static String string(Map<String, Object> json, String field) {
    return json.get(field) instanceof String s ? s : null;
  }

  private Optional<Map<String, Object>> read(Path file) throws ModuleNotFoundException {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      Path real = file.toRealPath();
      if (!real.startsWith(root)) {
        throw new ModuleNotFoundException(file + " links to " + real + ", outside the plugin's directory " + root);
      }
      onRead.accept(real);
      Object value = JSON.std.anyFrom(Files.readString(real));
      if (!(value instanceof Map<?, ?> map)) {
        throw new ModuleNotFoundException(file + ": not a JSON object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> json = (Map<String, Object>) map;
      return Optional.of(json);
    } catch (IOException e) {
      throw new ModuleNotFoundException(file + ": cannot read it as JSON: " + e.getMessage());
    }
  }
}
