package dev.bridge.script;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * CommonJS for npm packages: each file runs once, wrapped so that {@code module}, {@code exports}, {@code require},
 * {@code __filename}, {@code __dirname} (and Node's {@code global}) work; {@code require} resolves relative files,
 * JSON and packages ({@link PackageResolver}, {@code require} conditions), and an ES module it names is evaluated
 * at once and its namespace returned (as Node 22 does); a Node built-in throws an {@code Error} naming what exists,
 * which a package probing for one catches. ES modules import CommonJS through {@link CommonJsFacade}. The loader's
 * JavaScript is evaluated on the first CommonJS file only, so plain scripts do not pay for it.
 */
final class CommonJsModules {
  private static final String INSTALL = """
      (function (load) {
        Object.defineProperty(globalThis, Symbol.for('%s'), { value: load, writable: false, configurable: false, enumerable: false });
      })
      """.formatted(CommonJsFacade.LOADER_SYMBOL);

  private static final String LOADER = """
      (function (host) {
        'use strict';
        const cache = new Map();
        const dirname = (p) => { const i = p.lastIndexOf('/'); return i <= 0 ? '/' : p.slice(0, i); };
        function failure(message, code) {
          const e = new Error(message);
          e.code = code;
          return e;
        }
        function resolve(specifier, from) {
          if (typeof specifier !== 'string') {
            throw new TypeError('The "id" argument must be of type string. Received ' + typeof specifier);
          }
          const found = host.resolve(specifier, from);
          const colon = found.indexOf(':');
          const kind = found.slice(0, colon), value = found.slice(colon + 1);
          if (kind === 'error') throw failure(value, 'MODULE_NOT_FOUND');
          return [kind, value];
        }
        function makeRequire(from) {
          const require = (specifier) => {
            const [kind, path] = resolve(specifier, from);
            return kind === 'esm' ? host.importNow(path) : load(path, kind);
          };
          require.resolve = (specifier) => resolve(specifier, from)[1];
          require.cache = Object.create(null);
          return require;
        }
        function load(path, kind) {
          const cached = cache.get(path);
          if (cached) return cached.exports;
          const module = { id: path, filename: path, path: dirname(path), exports: {}, loaded: false,
              children: [], paths: [] };
          module.require = makeRequire(path);
          cache.set(path, module);
          try {
            if (kind === 'json') {
              const text = host.readText(path);
              try {
                module.exports = JSON.parse(text);
              } catch (e) {
                throw new SyntaxError(path + ': ' + e.message);
              }
            } else {
              host.compile(path).call(module.exports, module.exports, module.require, module, path, module.path,
                  globalThis);
            }
          } catch (e) {
            cache.delete(path);
            throw e;
          }
          module.loaded = true;
          return module.exports;
        }
        return (path) => load(path, 'commonjs');
      })
      """;

  private final Context context;
  private final ModuleFileSystem modules;
  private Value load;

  private CommonJsModules(Context context, ModuleFileSystem modules) {
    this.context = context;
    this.modules = modules;
  }

  static void install(Context context, ModuleFileSystem modules) {
    CommonJsModules loader = new CommonJsModules(context, modules);
    Source source = Source.newBuilder("js", INSTALL, "bridge-commonjs-install.js").internal(true).buildLiteral();
    context.eval(source).executeVoid((ProxyExecutable) args -> loader.load(args[0].asString()));
  }

  private Value load(String path) {
    if (load == null) {
      Source source = Source.newBuilder("js", LOADER, "bridge-commonjs.js").internal(true).buildLiteral();
      load = context.eval(source).execute(host());
    }
    return load.execute(path);
  }

  private ProxyObject host() {
    return ProxyObject.fromMap(Map.of(
        "resolve", (ProxyExecutable) args -> resolve(args[0].asString(), Path.of(args[1].asString())),
        "compile", (ProxyExecutable) args -> compile(Path.of(args[0].asString())),
        "readText", (ProxyExecutable) args -> read(Path.of(args[0].asString())),
        "importNow", (ProxyExecutable) args -> importNow(Path.of(args[0].asString()))));
  }

  /** {@code kind:path} ({@code commonjs}, {@code json}, {@code esm}) or {@code error:message}. */
  private String resolve(String specifier, Path referrer) {
    try {
      PackageResolver packages = modules.packages();
      Path file = PackageResolver.isBare(specifier) || NodeBuiltins.isBuiltin(specifier)
          ? packages.resolvePackage(specifier, referrer, PackageResolver.Mode.REQUIRE)
          : packages.resolveRelative(specifier, referrer);
      String kind = switch (modules.requiredFormatOf(file)) {
        case COMMONJS -> "commonjs";
        case JSON -> "json";
        case ESM -> "esm";
      };
      return kind + ":" + file;
    } catch (ModuleNotFoundException e) {
      return "error:" + e.getMessage().replace("imported by", "required by");
    }
  }

  private Value compile(Path file) {
    String text = read(file);
    if (text.startsWith("#!")) {
      text = "//" + text.substring(2);
    }
    // The wrapper shares the file's first line, so errors keep the file's line numbers.
    String wrapped = "(function (exports, require, module, __filename, __dirname, global) {" + text + "\n})";
    return context.eval(Source.newBuilder("js", file.toFile()).content(wrapped).buildLiteral());
  }

  private Value importNow(Path file) {
    return context.eval(Source.newBuilder("js", file.toFile()).mimeType("application/javascript+module")
        .content(read(file)).buildLiteral());
  }

  private String read(Path file) {
    try {
      return modules.readModule(file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
