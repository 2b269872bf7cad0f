package dev.bridge.script;

import java.util.Locale;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * A minimal {@code process} global for the npm packages that probe it: {@code process.env} (only the
 * variables {@code permissions.env} grants, see {@link EnvBindings}), {@code process.platform} and an empty
 * {@code process.versions}. Nothing pretends to be Node: {@code process.versions.node} is undefined, so a
 * package that checks it takes its non-Node path rather than reaching for Node's modules. Assigning to
 * {@code process.env.X} changes what this script reads, never the plugin's environment.
 */
final class ProcessPrelude {
  private static final String SOURCE = """
      (function (host, platform) {
        'use strict';
        const local = new Map();      // what the script assigned; a deleted name maps to undefined
        const env = new Proxy({}, {
          get(target, name) {
            if (typeof name !== 'string') return undefined;
            if (local.has(name)) return local.get(name);
            const v = host.get(name);
            return v === null ? undefined : v;
          },
          set(target, name, value) {
            if (typeof name === 'string') local.set(name, String(value));
            return true;
          },
          deleteProperty(target, name) {
            if (typeof name === 'string') local.set(name, undefined);
            return true;
          },
          has(target, name) {
            if (typeof name !== 'string') return false;
            return local.has(name) ? local.get(name) !== undefined : host.granted(name);
          },
          ownKeys() {
            const names = new Set(host.names() === '' ? [] : host.names().split('\\n'));
            for (const [k, v] of local) { if (v === undefined) names.delete(k); else names.add(k); }
            return [...names];
          },
          getOwnPropertyDescriptor(target, name) {
            if (typeof name !== 'string') return undefined;
            const value = local.has(name) ? local.get(name) : (host.granted(name) ? host.get(name) : undefined);
            return value === undefined ? undefined : { value, writable: true, enumerable: true, configurable: true };
          },
        });
        const process = Object.freeze({ env, platform, versions: Object.freeze({}) });
        Object.defineProperty(globalThis, 'process', { value: process, writable: true, configurable: true, enumerable: false });
      })
      """;

  private ProcessPrelude() {}

  static void install(Context context, EnvBindings env) {
    Source source = Source.newBuilder("js", SOURCE, "bridge-process.js").internal(true).buildLiteral();
    context.eval(source).execute(env.proxy(), platform());
  }

  /** Node's names: linux, darwin, win32. */
  static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    return os.startsWith("windows") ? "win32" : os.startsWith("mac") ? "darwin" : os.startsWith("linux") ? "linux" : os;
  }
}
