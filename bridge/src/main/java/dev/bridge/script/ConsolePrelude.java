package dev.bridge.script;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * Node-like formatting of the console's arguments, and the level of each console call for the host's
 * log ({@link ConsoleLevelTag}). Installed by the {@link Prelude} on the script's first use of
 * {@code console}, so that scripts that never log do not pay for it at every start.
 */
final class ConsolePrelude {
  private static final String SOURCE = """
      (function (console, tagConsole, describe) {
        'use strict';
        // GraalJS's console prints objects as [object Object]; format arguments roughly like Node's.
        // An object may say how it is shown, as in Node: [Symbol.for('nodejs.util.inspect.custom')](depth,
        // options, inspect) returns a string, or a value shown instead.
        const inspectCustom = Symbol.for('nodejs.util.inspect.custom');
        const quote = (s) => "'" + JSON.stringify(s).slice(1, -1).replaceAll("'", "\\\\'") + "'";
        function inspect(v, depth, seen) {
          switch (typeof v) {
            case 'string': return depth === 0 ? v : quote(v);
            case 'bigint': return v + 'n';
            case 'symbol': return v.toString();
            case 'function': return '[Function: ' + (v.name || '(anonymous)') + ']';
            case 'undefined': return 'undefined';
            case 'number': return Object.is(v, -0) ? '-0' : String(v);
            case 'boolean': return String(v);
          }
          if (v === null) return 'null';
          if (v instanceof Error) return v.stack || String(v);
          if (seen.has(v)) return '[Circular]';
          if (depth > 3) return Array.isArray(v) ? '[Array]' : '[Object]';
          seen.add(v);
          try {
            const custom = v[inspectCustom];
            if (typeof custom === 'function') {
              const shown = custom.call(v, 3 - depth, { depth: 3 - depth }, (x) => inspect(x, depth, seen));
              return typeof shown === 'string' ? shown : inspect(shown, depth, seen);
            }
            if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
              const shown = Array.from(v.subarray(0, 64), (x) => inspect(x, depth + 1, seen));
              if (v.length > 64) shown.push('... ' + (v.length - 64) + ' more items');
              return v.constructor.name + '(' + v.length + ') [' + (shown.length ? ' ' + shown.join(', ') + ' ' : '') + ']';
            }
            if (v instanceof ArrayBuffer) return 'ArrayBuffer { byteLength: ' + v.byteLength + ' }';
            if (v instanceof Date) return isNaN(v) ? 'Invalid Date' : v.toISOString();
            if (v instanceof RegExp) return String(v);
            if (Array.isArray(v)) {
              return v.length === 0 ? '[]' : '[ ' + v.map((x) => inspect(x, depth + 1, seen)).join(', ') + ' ]';
            }
            if (v instanceof Map) {
              return 'Map(' + v.size + ') {' + (v.size ? ' ' + Array.from(v, ([k, x]) =>
                  inspect(k, depth + 1, seen) + ' => ' + inspect(x, depth + 1, seen)).join(', ') + ' ' : '') + '}';
            }
            if (v instanceof Set) {
              return 'Set(' + v.size + ') {' + (v.size ? ' ' + Array.from(v, (x) => inspect(x, depth + 1, seen))
                  .join(', ') + ' ' : '') + '}';
            }
            const kind = describe(v);
            const prefix = kind === 'object' ? '' : kind + ' ';
            const keys = Object.keys(v);
            if (keys.length === 0) return prefix + '{}';
            return prefix + '{ ' + keys.map((k) => (/^[A-Za-z_$][\\w$]*$/.test(k) ? k : quote(k)) + ': '
                + inspect(v[k], depth + 1, seen)).join(', ') + ' }';
          } catch (e) {
            return Object.prototype.toString.call(v);
          } finally {
            seen.delete(v);
          }
        }
        const formatArgs = (args) => args.map((a) => inspect(a, 0, new Set())).join(' ');
        // GraalJS writes each console call's output within the call: tagging the call with its level
        // tags the lines (see ConsoleLevelTag). Methods GraalJS lacks (trace, table) are left out.
        const consoleLevels = { debug: 'DEBUG', trace: 'DEBUG', log: 'INFO', info: 'INFO', dir: 'INFO',
            table: 'INFO', group: 'INFO', groupCollapsed: 'INFO', count: 'INFO', countReset: 'INFO',
            time: 'INFO', timeLog: 'INFO', timeEnd: 'INFO', assert: 'WARN', warn: 'WARN', error: 'ERROR' };
        const formatted = ['log', 'info', 'debug', 'warn', 'error'];
        const tagged = (level, write) => {
          const outer = tagConsole(level);
          try { write(); } finally { tagConsole(outer); }
        };
        for (const [method, level] of Object.entries(consoleLevels)) {
          const write = console[method];
          if (typeof write !== 'function') continue;
          console[method] = formatted.includes(method)
              ? function (...args) { const text = formatArgs(args); tagged(level, () => write.call(console, text)); }
              : function (...args) { tagged(level, () => write.apply(console, args)); };
        }
        // GraalJS's clear writes a terminal escape sequence (without a newline); the host's log is no terminal.
        if (typeof console.clear === 'function') console.clear = function () {};
      })
      """;

  private ConsolePrelude() {}

  /** Makes the methods of GraalJS's {@code console} object format their arguments and tag their level. */
  static void install(Context context, Value console, ProxyExecutable tagConsole, Value describe) {
    Source source = Source.newBuilder("js", SOURCE, "bridge-console.js").internal(true).buildLiteral();
    context.eval(source).execute(console, tagConsole, describe);
  }
}
