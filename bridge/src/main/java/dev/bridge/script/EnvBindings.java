package dev.bridge.script;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * The host side of {@code process.env}: a variable granted by {@code permissions.env} reads its value; any
 * other reads as unset (npm packages probe {@code NODE_ENV}, {@code DEBUG} and the like, and must not crash),
 * and the first read of each logs one warning naming the permission to add, never the value.
 */
final class EnvBindings {
  private static final Logger LOG = Logger.getLogger("dev.bridge.script");

  private final Permissions permissions;
  private final Function<String, String> environment;
  private final Consumer<String> warn;
  private final Set<String> warned = new HashSet<>();

  EnvBindings(Permissions permissions, java.util.Map<String, String> environment) {
    this(permissions, environment::get, LOG::warning);
  }

  EnvBindings(Permissions permissions, Function<String, String> environment, Consumer<String> warn) {
    this.permissions = permissions;
    this.environment = environment;
    this.warn = warn;
  }

  /** The value of a granted variable, or null (not granted, with a warning the first time; or not set). */
  String get(String name) {
    if (!permissions.allowsEnv(name)) {
      synchronized (warned) {
        if (warned.add(name)) {
          warn.accept("process.env." + name + " is not granted, so the script reads it as unset: "
              + permissions.howToGrant("env", name));
        }
      }
      return null;
    }
    return environment.apply(name);
  }

  /** The granted variables that are set, for enumeration ({@code Object.keys(process.env)}). */
  List<String> names() {
    List<String> out = new ArrayList<>();
    for (String name : permissions.env()) {
      if (environment.apply(name) != null) {
        out.add(name);
      }
    }
    return out;
  }

  ProxyObject proxy() {
    return ProxyObject.fromMap(Map.of(
        "get", (ProxyExecutable) args -> get(args[0].asString()),
        "granted", (ProxyExecutable) args -> {
          String name = args[0].asString();
          return permissions.allowsEnv(name) && environment.apply(name) != null;
        },
        "names", (ProxyExecutable) args -> String.join("\n", names())));
  }
}
