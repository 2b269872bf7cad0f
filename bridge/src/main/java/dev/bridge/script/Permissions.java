package dev.bridge.script;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a script may reach beyond its files directory, deny by default (as Deno does): the manifest's
 * {@code permissions} and the {@code --allow-*} options grant it.
 *
 * @param net hosts {@code fetch} may connect to: {@code api.example.com} (any port), {@code 127.0.0.1:8080} (that
 *     port), {@code *.example.org} (any subdomain, not the domain itself)
 * @param env environment variables {@code process.env} shows
 * @param read directories besides the files directory the script may read
 * @param write directories besides the files directory the script may write
 * @param grantedIn the manifest's file name when there is one, so a denial says where to add the permission;
 *     empty: the command line ({@code --allow-net=...})
 */
public record Permissions(List<String> net, List<String> env, List<Path> read, List<Path> write,
    Optional<String> grantedIn) {

  public Permissions {
    net = List.copyOf(net);
    env = List.copyOf(env);
    read = read.stream().map(path -> path.toAbsolutePath().normalize()).toList();
    write = write.stream().map(path -> path.toAbsolutePath().normalize()).toList();
    Objects.requireNonNull(grantedIn, "grantedIn");
    for (int i = 0; i < net.size(); i++) {
      String problem = netEntryProblem(net.get(i));
      if (problem != null) {
        throw new IllegalArgumentException("net[" + i + "]: " + problem);
      }
    }
  }

  public Permissions(List<String> net, List<String> env, List<Path> read, List<Path> write) {
    this(net, env, read, write, Optional.empty());
  }

  /** Nothing reachable: what a plugin without {@code permissions} gets. */
  public static Permissions none() {
    return new Permissions(List.of(), List.of(), List.of(), List.of());
  }

  /** These grants and {@code other}'s (the command line adds to the manifest). */
  public Permissions and(Permissions other) {
    return new Permissions(union(net, other.net), union(env, other.env), union(read, other.read),
        union(write, other.write), grantedIn.or(other::grantedIn));
  }

  /** The same, saying that a denial is fixed in this manifest file. */
  public Permissions grantedIn(String manifestName) {
    return new Permissions(net, env, read, write, Optional.of(manifestName));
  }

  public boolean isNone() {
    return net.isEmpty() && env.isEmpty() && read.isEmpty() && write.isEmpty();
  }

  /** Whether a connection to {@code host} on {@code port} is granted. */
  public boolean allowsNet(String host, int port) {
    String wanted = bareHost(host).toLowerCase(Locale.ROOT);
    for (String entry : net) {
      String granted = entry.toLowerCase(Locale.ROOT);
      int colon = portColon(granted);
      String grantedHost = colon < 0 ? granted : granted.substring(0, colon);
      if (colon >= 0 && Integer.parseInt(granted.substring(colon + 1)) != port) {
        continue;
      }
      grantedHost = bareHost(grantedHost);
      if (grantedHost.startsWith("*.")
          ? wanted.endsWith(grantedHost.substring(1)) && wanted.length() > grantedHost.length() - 1
          : grantedHost.equals(wanted)) {
        return true;
      }
    }
    return false;
  }

  public boolean allowsEnv(String name) {
    return env.contains(name);
  }

  /** Whether {@code path} lies within a granted read (or write) directory. */
  public boolean allowsRead(Path path) {
    return within(path, read) || within(path, write);
  }

  public boolean allowsWrite(Path path) {
    return within(path, write);
  }

  /**
   * How to grant what was denied, for the error: {@code add "api.example.com" to permissions.net in kv.plugin.json},
   * or {@code --allow-net=api.example.com} without a manifest.
   *
   * @param kind net, env, read or write
   */
  public String howToGrant(String kind, String value) {
    return grantedIn.map(file -> "add \"" + value + "\" to permissions." + kind + " in " + file)
        .orElse("run with --allow-" + kind + "=" + value);
  }

  /** The one start-up line: what is granted. */
  public String describe() {
    if (isNone()) {
      return "permissions: none (no network, environment or directories beyond the files directory)";
    }
    List<String> parts = new ArrayList<>();
    parts.add("net " + (net.isEmpty() ? "none" : String.join(", ", net)));
    parts.add("env " + (env.isEmpty() ? "none" : String.join(", ", env)));
    parts.add("read " + (read.isEmpty() ? "none" : join(read)));
    parts.add("write " + (write.isEmpty() ? "none" : join(write)));
    return "permissions: " + String.join("; ", parts);
  }

  /** Why a net entry is wrong, or null: a host, host:port or *.domain, never a URL. */
  public static String netEntryProblem(String entry) {
    if (entry == null || entry.isBlank()) {
      return "an empty host";
    }
    if (entry.contains("/") || entry.contains("@")) {
      return "\"" + entry + "\" is not a host: give a host, host:port or *.domain, without scheme or path";
    }
    int colon = portColon(entry);
    String host = colon < 0 ? entry : entry.substring(0, colon);
    if (colon >= 0) {
      String port = entry.substring(colon + 1);
      int number;
      try {
        number = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        return "\"" + entry + "\": the port \"" + port + "\" is not a number";
      }
      if (number < 1 || number > 65535) {
        return "\"" + entry + "\": the port " + number + " is not between 1 and 65535";
      }
    }
    if (host.indexOf('*') >= 0 && (!host.startsWith("*.") || host.indexOf('*', 1) >= 0 || host.length() < 3)) {
      return "\"" + entry + "\": a wildcard only as \"*.domain\"";
    }
    if (host.isEmpty()) {
      return "\"" + entry + "\": no host";
    }
    return null;
  }

  /** Where the port's colon is in host[:port], IPv6 in brackets ({@code [::1]:8080}); -1 when there is none. */
  private static int portColon(String entry) {
    if (entry.startsWith("[")) {
      int close = entry.indexOf(']');
      return close > 0 && close + 1 < entry.length() && entry.charAt(close + 1) == ':' ? close + 1 : -1;
    }
    int colon = entry.lastIndexOf(':');
    // A bare IPv6 address has several colons and no port.
    return colon >= 0 && entry.indexOf(':') == colon ? colon : -1;
  }

  private static String bareHost(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static boolean within(Path path, List<Path> dirs) {
    Path wanted = path.toAbsolutePath().normalize();
    return dirs.stream().anyMatch(wanted::startsWith);
  }

  private static <T> List<T> union(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    b.stream().filter(item -> !all.contains(item)).forEach(all::add);
    return all;
  }

  private static String join(List<Path> paths) {
    return String.join(", ", paths.stream().map(Path::toString).toList());
  }
}
