package dev.bridge.scaffold;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A new plugin's manifest ({@code NAME.plugin.json}), laid out like the README's: paths relative to the
 * plugin's directory, the services named, and the handshake, with placeholders where the host's magic
 * cookie is not known yet.
 */
final class StarterManifest {
  static final String KEY_PLACEHOLDER = "FILL_IN_THE_HOSTS_MAGIC_COOKIE_KEY";
  static final String VALUE_PLACEHOLDER = "FILL_IN_THE_HOSTS_MAGIC_COOKIE_VALUE";

  private StarterManifest() {}

  /**
   * @param dir the plugin's directory, to which the paths are made relative
   * @param magicCookieKey null for the placeholder
   * @param magicCookieValue null for the placeholder
   */
  static String text(Path dir, List<Path> protoFiles, List<Path> protoPath, List<String> services,
      String magicCookieKey, String magicCookieValue) {
    var out = new StringBuilder("{\n");
    out.append("  \"proto\": ").append(paths(dir, protoFiles)).append(",\n");
    if (!protoPath.isEmpty()) {
      out.append("  \"protoPath\": ").append(paths(dir, protoPath)).append(",\n");
    }
    out.append("  \"services\": ").append(strings(services)).append(",\n");
    out.append("  \"handshake\": {\n");
    out.append("    \"magicCookieKey\": ").append(json(magicCookieKey == null ? KEY_PLACEHOLDER : magicCookieKey))
        .append(",\n");
    out.append("    \"magicCookieValue\": ")
        .append(json(magicCookieValue == null ? VALUE_PLACEHOLDER : magicCookieValue)).append(",\n");
    out.append("    \"appProtocolVersions\": [1]\n");
    out.append("  }\n");
    out.append("}\n");
    return out.toString();
  }

  /** A path as the manifest holds it: relative to the plugin's directory where possible, with forward slashes. */
  static String relative(Path dir, Path file) {
    Path from = dir.toAbsolutePath().normalize();
    Path to = file.toAbsolutePath().normalize();
    Path path = from.getRoot() != null && from.getRoot().equals(to.getRoot()) ? from.relativize(to) : to;
    return path.toString().replace('\\', '/');
  }

  private static String paths(Path dir, List<Path> files) {
    return strings(files.stream().map(file -> relative(dir, file)).toList());
  }

  private static String strings(List<String> values) {
    return values.stream().map(StarterManifest::json).collect(Collectors.joining(", ", "[", "]"));
  }

  private static String json(String value) {
    try {
      return JSON.std.asString(value);
    } catch (IOException e) {
      throw new UncheckedIOException("a string cannot fail to be written as JSON", e);
    }
  }
}
