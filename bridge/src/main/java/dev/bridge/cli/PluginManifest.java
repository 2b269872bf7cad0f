package dev.bridge.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.bridge.script.Permissions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a plugin declares beside its script, in {@code <script name>.plugin.json}: the service
 * definitions it implements and the handshake its host expects. Paths are relative to the manifest.
 * Read before any JavaScript runs, so that a wrong launch is refused at once.
 *
 * <pre>{@code
 * {
 *   "proto": ["../proto/kv.proto"],          // or "descriptorSet": "kv.pb"
 *   "protoPath": ["../proto"],               // optional import roots
 *   "services": ["proto.KV"],                // optional: default, every service in the proto files
 *   "handshake": {"magicCookieKey": "BASIC_PLUGIN", "magicCookieValue": "hello", "appProtocolVersions": [1]},
 *   "callTimeout": "30s",                    // optional: the longest one call may run
 *   "maxMessageSize": "4MiB",                // optional: the largest request accepted (or a number of bytes)
 *   "loadTimeout": "30s",                    // optional: the longest the script's top-level code may run
 *   "instances": 1,                          // optional: instances serving calls in parallel, each its own state
 *   "maxHeap": "512MiB",                     // optional: the most live Java heap, or "jvm" for the JVM's own
 *   "permissions": {"net": ["api.example.com"], "env": ["API_TOKEN"], "read": ["/etc/ssl"], "write": ["logs"]},
 *                                            // optional: what the script may reach; by default nothing
 *   "warm": true                             // optional: serve through the user's warm runtime (docs/warm.md)
 * }
 * }</pre>
 */
record PluginManifest(
    Path file,
    List<Path> protoFiles,
    List<Path> protoPath,
    Optional<Path> descriptorSet,
    List<String> services,
    Optional<String> magicCookieKey,
    Optional<String> magicCookieValue,
    List<Integer> appProtocolVersions,
    Optional<Duration> callTimeout,
    Optional<Integer> maxMessageSize,
    Optional<Duration> loadTimeout,
    Optional<Integer> instances,
    Optional<MaxHeap> maxHeap,
    Permissions permissions,
    Optional<Boolean> warm) {

  private static final Set<String> TOP_LEVEL = Set.of("proto", "protoPath", "descriptorSet", "services", "handshake",
      "callTimeout", "maxMessageSize", "loadTimeout", "instances", "maxHeap", "permissions", "warm");
  private static final Set<String> PERMISSIONS = Set.of("net", "env", "read", "write");
  private static final Set<String> HANDSHAKE = Set.of("magicCookieKey", "magicCookieValue", "appProtocolVersions");

  static final String SUFFIX = ".plugin.json";

  /** The manifest that belongs to a script: {@code dir/kv.js} → {@code dir/kv.plugin.json}. */
  static Path besideScript(Path script) {
    String name = script.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String base = dot > 0 ? name.substring(0, dot) : name;
    return script.resolveSibling(base + SUFFIX);
  }

  static PluginManifest empty() {
    return new PluginManifest(null, List.of(), List.of(), Optional.empty(), List.of(),
        Optional.empty(), Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Permissions.none(), Optional.empty());
  }

  static PluginManifest read(Path file) throws StartupException {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new StartupException(file + ": no such manifest file");
    } catch (IOException e) {
      throw new StartupException(file + ": cannot read the manifest: " + e.getMessage(), e);
    }
    Object parsed;
    StrictJson.Node root;
    try {
      // Strictly first, for where the text is wrong (and duplicate keys, which a plain read would let the last win),
      // and where each value is, for the errors below.
      root = StrictJson.parse(text);
      parsed = JSON.std.anyFrom(text);
    } catch (StrictJson.SyntaxError e) {
      throw new StartupException(file + ":" + e.line() + ":" + e.column() + ": not valid JSON: " + e.reason(), e);
    } catch (IOException e) {
      throw new StartupException(file + ": not valid JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    if (!(parsed instanceof Map<?, ?> top)) {
      throw new StartupException(file + ":" + root.line() + ":" + root.column()
          + ": expected a JSON object at the top level");
    }
    var fields = Fields.of(file, "", top, root, TOP_LEVEL);
    Path dir = file.toAbsolutePath().getParent();
    Map<?, ?> handshake = fields.object("handshake");
    var handshakeFields = Fields.of(file, "handshake.", handshake == null ? Map.of() : handshake,
        fields.node("handshake"), HANDSHAKE);
    return new PluginManifest(
        file,
        fields.strings("proto").stream().map(dir::resolve).toList(),
        fields.strings("protoPath").stream().map(dir::resolve).toList(),
        Optional.ofNullable(fields.string("descriptorSet")).map(dir::resolve),
        fields.strings("services"),
        Optional.ofNullable(handshakeFields.string("magicCookieKey")),
        Optional.ofNullable(handshakeFields.string("magicCookieValue")),
        handshakeFields.integers("appProtocolVersions"),
        Optional.ofNullable(fields.duration("callTimeout")),
        Optional.ofNullable(fields.size("maxMessageSize")),
        Optional.ofNullable(fields.duration("loadTimeout")),
        Optional.ofNullable(fields.integer("instances")),
        Optional.ofNullable(fields.maxHeap("maxHeap")),
        permissions(file, dir, fields.object("permissions"), fields.node("permissions")),
        Optional.ofNullable(fields.bool("warm")));
  }

  /** The grants under "permissions", each entry checked so that an error names it ({@code permissions.net[2]}). */
  private static Permissions permissions(Path file, Path dir, Map<?, ?> object, StrictJson.Node node)
      throws StartupException {
    String name = file.getFileName().toString();
    if (object == null) {
      return Permissions.none().grantedIn(name);
    }
    var fields = Fields.of(file, "permissions.", object, node, PERMISSIONS);
    List<String> net = fields.list("net");
    for (int i = 0; i < net.size(); i++) {
      String problem = Permissions.netEntryProblem(net.get(i));
      if (problem != null) {
        throw new StartupException(fields.at("net", i) + ": field \"permissions.net[" + i + "]\": " + problem);
      }
    }
    List<String> env = fields.list("env");
    for (int i = 0; i < env.size(); i++) {
      if (env.get(i).isEmpty() || env.get(i).contains("=")) {
        throw new StartupException(fields.at("env", i) + ": field \"permissions.env[" + i + "]\": \"" + env.get(i)
            + "\" is not an environment variable's name");
      }
    }
    return new Permissions(net, env, directories(fields, dir, "read"), directories(fields, dir, "write"))
        .grantedIn(name);
  }

  /** Directories relative to the manifest, as its other paths are. */
  private static List<Path> directories(Fields fields, Path dir, String name) throws StartupException {
    List<String> entries = fields.list(name);
    List<Path> result = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).isEmpty()) {
        throw new StartupException(fields.at(name, i) + ": field \"permissions." + name + "[" + i + "]\": "
            + "an empty path");
      }
      result.add(dir.resolve(entries.get(i)).normalize());
    }
    return result;
  }

  /**
   * Typed access to one JSON object's fields, with errors naming the file, where the value is in it
   * ({@code kv.plugin.json:3:16}) and the field path.
   *
   * @param node the object as written, for where its values are; null when it is absent
   */
  private record Fields(Path file, String prefix, Map<?, ?> object, StrictJson.Node node, Set<String> known) {
    /** Refuses fields the manifest does not know: a typo must not silently fall back to a default. */
    static Fields of(Path file, String prefix, Map<?, ?> object, StrictJson.Node node, Set<String> known)
        throws StartupException {
      var fields = new Fields(file, prefix, object, node, known);
      for (Object key : object.keySet()) {
        if (!known.contains(key)) {
          List<String> names = known.stream().sorted().toList();
          String guess = DidYouMean.closest(String.valueOf(key), names).map(name -> "did you mean \"" + name + "\"? ")
              .orElse("");
          throw new StartupException(fields.at(String.valueOf(key)) + ": unknown field \"" + prefix + key + "\" ("
              + guess + "known: "
              + String.join(", ", names) + ")");
        }
      }
      return fields;
    }

    /** The value of field {@code name} as written, or null. */
    StrictJson.Node node(String name) {
      return node == null ? null : node.fields().get(name);
    }

    /** {@code file:line:column} of field {@code name}'s value, or the file alone when that is unknown. */
    String at(String name) {
      return at(node(name));
    }

    /** The same for item {@code index} of the list in field {@code name}. */
    String at(String name, int index) {
      StrictJson.Node list = node(name);
      return list != null && index < list.items().size() ? at(list.items().get(index)) : at(list);
    }

    private String at(StrictJson.Node value) {
      return value == null ? file.toString() : file + ":" + value.line() + ":" + value.column();
    }

    String string(String name) throws StartupException {
      Object value = object.get(name);
      if (value == null || value instanceof String) {
        return (String) value;
      }
      throw wrongType(name, "a string", value);
    }

    /** A duration in Go's notation, such as "30s" or "500ms". */
    Duration duration(String name) throws StartupException {
      Object value = object.get(name);
      if (value == null) {
        return null;
      }
      if (!(value instanceof String text)) {
        throw wrongType(name, "a duration such as \"30s\" or \"500ms\"", value);
      }
      try {
        return Units.parseDuration(text);
      } catch (IllegalArgumentException e) {
        throw new StartupException(at(name) + ": field \"" + prefix + name + "\": " + e.getMessage());
      }
    }

    /** A number of bytes, or a string such as "16MiB". */
    Integer size(String name) throws StartupException {
      Object value = object.get(name);
      if (value == null) {
        return null;
      }
      if (!(value instanceof String) && !(value instanceof Number)) {
        throw wrongType(name, "a number of bytes or a size such as \"16MiB\"", value);
      }
      try {
        return Units.parseSize(value.toString());
      } catch (IllegalArgumentException e) {
        throw new StartupException(at(name) + ": field \"" + prefix + name + "\": " + e.getMessage());
      }
    }

    /** A size such as "256MiB" (or a number of bytes), or "jvm". */
    MaxHeap maxHeap(String name) throws StartupException {
      Object value = object.get(name);
      if (value == null) {
        return null;
      }
      if (!(value instanceof String) && !(value instanceof Number)) {
        throw wrongType(name, "a size such as \"256MiB\" or \"jvm\"", value);
      }
      try {
        return MaxHeap.parse(value.toString());
      } catch (IllegalArgumentException e) {
        throw new StartupException(at(name) + ": field \"" + prefix + name + "\": " + e.getMessage());
      }
    }

    Map<?, ?> object(String name) throws StartupException {
      Object value = object.get(name);
      if (value == null || value instanceof Map<?, ?>) {
        return (Map<?, ?>) value;
      }
      throw wrongType(name, "an object", value);
    }

    /** A string or a list of strings. */
    List<String> strings(String name) throws StartupException {
      Object value = object.get(name);
      if (value == null) {
        return List.of();
      }
      if (value instanceof String single) {
        return List.of(single);
      }
      if (value instanceof List<?> list) {
        List<String> result = new ArrayList<>();
        for (Object item : list) {
          if (!(item instanceof String s)) {
            throw wrongType(name, "a list of strings", value);
          }
          result.add(s);
        }
        return result;
      }
      throw wrongType(name, "a string or a list of strings", value);
    }

    /** A list of strings, an item of another type named by its index ({@code permissions.net[2]}). */
    List<String> list(String name) throws StartupException {
      Object value = object.get(name);
      if (value == null) {
        return List.of();
      }
      if (!(value instanceof List<?> list)) {
        throw wrongType(name, "a list of strings", value);
      }
      List<String> result = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        if (!(list.get(i) instanceof String s)) {
          throw new StartupException(at(name, i) + ": field \"" + prefix + name + "[" + i + "]\" must be a string, not "
              + asJson(list.get(i)));
        }
        result.add(s);
      }
      return result;
    }

    Boolean bool(String name) throws StartupException {
      Object value = object.get(name);
      if (value == null || value instanceof Boolean) {
        return (Boolean) value;
      }
      throw wrongType(name, "true or false", value);
    }

    Integer integer(String name) throws StartupException {
      Object value = object.get(name);
      if (value == null || value instanceof Integer) {
        return (Integer) value;
      }
      throw wrongType(name, "a whole number", value);
    }

    /** A whole number or a list of them. */
    List<Integer> integers(String name) throws StartupException {
      Object value = object.get(name);
      if (value == null) {
        return List.of();
      }
      List<?> items = value instanceof List<?> list ? list : List.of(value);
      List<Integer> result = new ArrayList<>();
      for (Object item : items) {
        if (!(item instanceof Integer number)) {
          throw wrongType(name, "a whole number or a list of them", value);
        }
        result.add(number);
      }
      return result;
    }

    private StartupException wrongType(String name, String expected, Object value) {
      return new StartupException(at(name) + ": field \"" + prefix + name + "\" must be " + expected + ", not "
          + asJson(value));
    }
  }

  private static String asJson(Object value) {
    try {
      return JSON.std.asString(value);
    } catch (IOException e) {
      return String.valueOf(value);
    }
  }
}
