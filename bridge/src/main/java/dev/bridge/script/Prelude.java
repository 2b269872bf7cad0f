package dev.bridge.script;

import java.util.List;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * The JavaScript run in each fresh context before the user's module: it installs the globals scripts
 * may use ({@code fs}, {@code RpcError}, {@code bridge}, {@code AbortController}; the web globals,
 * {@link WebPrelude}'s and {@link CryptoPrelude}'s, {@code broker}, {@link BrokerPrelude}'s, the
 * timers, {@link TimersPrelude}'s, and the console's
 * formatting, {@link ConsolePrelude}'s, on first use), removes the embedder's non-Node globals, and
 * returns the small helper functions the Java side uses to build and inspect values. Host functions
 * reach the prelude as arguments and are never visible as globals.
 */
final class Prelude {
  private static final String SOURCE = """
      (function (host, installTimers, installConsole, installBroker, hostArgs, installFetch, installWeb,
          installCrypto, installProcess, installBuffer) {
        'use strict';
        const G = globalThis;
        for (const name of ['Java', 'Packages', 'java', 'javax', 'javafx', 'com', 'org', 'edu', 'Graal',
            'Polyglot', 'load', 'loadWithNewGlobal', 'print', 'printErr', 'quit', 'read', 'readbuffer',
            'readline']) {
          delete G[name];
        }
        const define = (name, value) => Object.defineProperty(G, name,
            { value, writable: true, configurable: true, enumerable: false });

        function describe(v) {
          if (v === null) return 'null';
          if (Array.isArray(v)) return 'array';
          if (v instanceof ArrayBuffer) return 'ArrayBuffer';
          if (ArrayBuffer.isView(v)) return v.constructor.name;
          if (typeof v === 'object') {
            const proto = Object.getPrototypeOf(v);
            if (proto !== null && proto !== Object.prototype && typeof proto.constructor === 'function'
                && proto.constructor.name) {
              return proto.constructor.name;
            }
            return 'object';
          }
          return typeof v;
        }
        function invalidArg(message) {
          const e = new TypeError(message);
          e.code = 'ERR_INVALID_ARG_TYPE';
          return e;
        }
        function checkPath(path) {
          if (typeof path !== 'string') {
            throw invalidArg('The "path" argument must be of type string. Received ' + describe(path));
          }
          return path;
        }
        function utf8Wanted(options) {
          const enc = typeof options === 'string' ? options
              : (options !== null && typeof options === 'object' ? options.encoding : undefined);
          if (enc === undefined || enc === null || enc === 'buffer') return false;
          const e = String(enc).toLowerCase();
          if (e === 'utf8' || e === 'utf-8') return true;
          const err = new TypeError("The encoding '" + enc + "' is not supported (use 'utf8', or none for bytes)");
          err.code = 'ERR_INVALID_ARG_VALUE';
          throw err;
        }
        // Errors of a refusal that a permission would have allowed (fs, fetch): a call they fail is PERMISSION_DENIED.
        const deniedPermission = Symbol('denied permission');
        const markDenied = (e) => {
          Object.defineProperty(e, deniedPermission, { value: true });
          return e;
        };
        const isBytes = (v) => v instanceof ArrayBuffer || ArrayBuffer.isView(v)
            || (typeof SharedArrayBuffer === 'function' && v instanceof SharedArrayBuffer);

        const fs = Object.freeze({
          readFileSync(path, options) {
            const p = checkPath(path);
            return utf8Wanted(options) ? host.readText(p) : host.readBytes(p);
          },
          writeFileSync(path, data, options) {
            const p = checkPath(path);
            if (typeof data === 'string') {
              utf8Wanted(options);
              host.writeText(p, data);
            } else if (isBytes(data)) {
              host.writeBytes(p, data);
            } else {
              throw invalidArg('The "data" argument must be of type string or an instance of Uint8Array, '
                  + 'ArrayBuffer or another typed array. Received ' + describe(data));
            }
          },
          existsSync(path) {
            return typeof path === 'string' && host.exists(path);
          },
          unlinkSync(path) {
            host.unlink(checkPath(path));
          },
          appendFileSync(path, data, options) {
            const p = checkPath(path);
            if (typeof data === 'string') {
              utf8Wanted(options);
              host.appendText(p, data);
            } else if (isBytes(data)) {
              host.appendBytes(p, data);
            } else {
              throw invalidArg('The "data" argument must be of type string or an instance of Uint8Array, '
                  + 'ArrayBuffer or another typed array. Received ' + describe(data));
            }
          },
          readdirSync(path) {
            return Array.from(host.readdir(checkPath(path)));
          },
          mkdirSync(path, options) {
            host.mkdir(checkPath(path), !!(options && options.recursive));
          },
          statSync(path) {
            const s = host.stat(checkPath(path));
            const file = s.isFile, dir = s.isDirectory;
            return Object.freeze({ size: s.size, mtimeMs: s.mtimeMs, mtime: new Date(s.mtimeMs),
                isFile: () => file, isDirectory: () => dir });
          },
          renameSync(from, to) {
            host.rename(checkPath(from), checkPath(to));
          },
          rmSync(path, options) {
            host.rm(checkPath(path), !!(options && options.recursive), !!(options && options.force));
          },
        });
        // The promise versions do the same work on the JS thread (local files: short) and settle as
        // microtasks, so code written for fs.promises runs unchanged.
        const promises = {};
        for (const [name, sync] of [['readFile', 'readFileSync'], ['writeFile', 'writeFileSync'],
            ['appendFile', 'appendFileSync'], ['readdir', 'readdirSync'], ['mkdir', 'mkdirSync'],
            ['stat', 'statSync'], ['rename', 'renameSync'], ['rm', 'rmSync'], ['unlink', 'unlinkSync']]) {
          promises[name] = (...args) => new Promise((resolve) => resolve(fs[sync](...args)));
        }
        const fsWithPromises = Object.freeze(Object.assign({}, fs, { promises: Object.freeze(promises) }));
        define('fs', fsWithPromises);

        // bridge.args: the arguments the host put after the script on the command line (Velero passes its
        // own server flags), as strings in a frozen array.
        const args = [];
        for (let i = 0; i < hostArgs.length; i++) args.push(String(hostArgs[i]));
        define('bridge', Object.freeze({ args: Object.freeze(args) }));

        // The timers and the console's formatting are installed when first used: most handlers use
        // neither, and evaluating them cost every start some 40 ms.
        function onFirstUse(names, install) {
          let installed = false;
          const ensureInstalled = () => {
            if (installed) return;
            installed = true;
            try {
              install();
            } catch (e) {
              installed = false;  // interrupted (the call's time limit): the next use installs again
              throw e;
            }
          };
          for (const name of names) {
            Object.defineProperty(G, name, {
              get() {
                ensureInstalled();
                const own = Object.getOwnPropertyDescriptor(G, name);
                return own !== undefined && 'value' in own ? own.value : undefined;
              },
              set(value) {
                ensureInstalled();
                define(name, value);
              },
              configurable: true,
              enumerable: false,
            });
          }
        }
        onFirstUse(['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate',
            'queueMicrotask'], () => installTimers(describe));
        const builtinConsole = G.console;
        onFirstUse(['broker'], () => define('broker', installBroker(RpcError, describe)));
        onFirstUse(['URL', 'URLSearchParams', 'atob', 'btoa', 'structuredClone', 'performance'],
            () => installWeb(describe));
        onFirstUse(['crypto', 'CryptoKey'], () => installCrypto(describe));
        onFirstUse(['process'], () => installProcess());
        onFirstUse(['Buffer'], () => installBuffer(describe));
        onFirstUse(['fetch', 'Headers', 'Request', 'Response'], () => {
          const web = installFetch(describe, markDenied);
          for (const name of ['fetch', 'Headers', 'Request', 'Response']) define(name, web[name]);
        });
        onFirstUse(['console'], () => {
          installConsole(builtinConsole, describe);
          define('console', builtinConsole);
        });

        class RpcError extends Error {
          constructor(code, message, options) {
            super(message, options);
            this.code = code;
            // Rich error details (google.rpc.Status details, as Any objects), sent to the host; see ThrownError.
            if (options !== null && typeof options === 'object' && options.details !== undefined) {
              this.details = options.details;
            }
            if (new.target === RpcError) {
              // Made in this internal source, its stack has no frames; an Error made here has the handler's
              // (formatted only if read: handlers throw RpcErrors as answers, mostly never shown).
              const origin = new Error();
              Object.defineProperty(this, 'stack', {
                get() {
                  const frames = origin.stack;
                  const at = frames.indexOf('\\n');
                  return String(this) + (at >= 0 ? frames.slice(at) : '');
                },
                set(value) { Object.defineProperty(this, 'stack', { value, writable: true, configurable: true }); },
                configurable: true,
              });
            }
          }
        }
        Object.defineProperty(RpcError.prototype, 'name',
            { value: 'RpcError', writable: true, configurable: true, enumerable: false });
        define('RpcError', RpcError);

        // What console.log calls to show an object, as Node's util.inspect does (see ConsolePrelude).
        const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

        // context.signal: what the web's AbortSignal offers a handler, fired by the host on this thread.
        const signalAbort = Symbol('abort');
        class AbortSignal {
          #aborted = false;
          #reason = undefined;
          #listeners = [];
          constructor(key) {
            if (key !== signalAbort) throw new TypeError('Illegal constructor');
            this.onabort = null;
          }
          get aborted() { return this.#aborted; }
          get reason() { return this.#reason; }
          throwIfAborted() {
            if (this.#aborted) throw this.#reason;
          }
          addEventListener(type, listener, options) {
            if (type !== 'abort' || this.#aborted || listener === null || listener === undefined) return;
            if (this.#listeners.some((l) => l.listener === listener)) return;
            const once = typeof options === 'object' && options !== null && !!options.once;
            this.#listeners.push({ listener, once });
          }
          removeEventListener(type, listener) {
            if (type !== 'abort') return;
            this.#listeners = this.#listeners.filter((l) => l.listener !== listener);
          }
          [inspectCustom](depth, options, inspect) {
            return 'AbortSignal ' + inspect(this.#aborted ? { aborted: true, reason: this.#reason } : { aborted: false });
          }
          // A signal that aborts after ms milliseconds, for fetch's timeouts (a TimeoutError, as the web's).
          static timeout(ms) {
            if (typeof ms !== 'number' || !(ms >= 0)) {
              throw new TypeError('AbortSignal.timeout: expected a number of milliseconds, got ' + describe(ms));
            }
            const signal = new AbortSignal(signalAbort);
            setTimeout(() => {
              const error = new Error('The operation timed out after ' + ms + ' ms');
              error.name = 'TimeoutError';
              AbortSignal[signalAbort](signal, error);
            }, ms);
            return signal;
          }
          static abort(reason) {
            const signal = new AbortSignal(signalAbort);
            AbortSignal[signalAbort](signal, reason === undefined ? new RpcError('CANCELLED', 'This operation was aborted') : reason);
            return signal;
          }
          static [signalAbort](signal, reason) {
            if (signal.#aborted) return;
            signal.#aborted = true;
            signal.#reason = reason;
            const event = Object.freeze({ type: 'abort', target: signal, currentTarget: signal });
            const call = (fn) => {
              try {
                if (typeof fn === 'function') fn.call(signal, event);
                else if (fn !== null && typeof fn === 'object' && typeof fn.handleEvent === 'function') fn.handleEvent(event);
              } catch (e) {
                console.error('an abort listener threw:', e);
              }
            };
            call(signal.onabort);
            const listeners = signal.#listeners;
            signal.#listeners = [];
            for (const l of listeners) call(l.listener);
          }
        }
        Object.defineProperty(AbortSignal.prototype, Symbol.toStringTag, { value: 'AbortSignal', configurable: true });
        const abortSignal = (signal, code, message) => AbortSignal[signalAbort](signal, new RpcError(code, message));

        // The web's AbortController, so that a script can cancel its own broker calls (options.signal); its
        // default reason is a CANCELLED RpcError, as the web's is an AbortError.
        class AbortController {
          #signal = new AbortSignal(signalAbort);
          get signal() { return this.#signal; }
          abort(reason) {
            AbortSignal[signalAbort](this.#signal,
                reason === undefined ? new RpcError('CANCELLED', 'This operation was aborted') : reason);
          }
        }
        Object.defineProperty(AbortController.prototype, Symbol.toStringTag,
            { value: 'AbortController', configurable: true });
        define('AbortController', AbortController);
        define('AbortSignal', AbortSignal);

        // A handler's second argument. A class rather than a frozen literal: it is made for every call. The
        // metadata and the signal are made when the handler first reads them, which most handlers never do.
        const abortContext = Symbol('abort');
        class CallContext {
          #metadata;
          #metadataOf;
          #signal;
          #abortedWith;
          #addMetadata;
          constructor(method, deadlineMillis, metadataOf, addMetadata) {
            this.method = method;
            this.deadline = deadlineMillis === null ? null : new Date(deadlineMillis);
            this.#metadataOf = metadataOf;
            this.#addMetadata = addMetadata;
          }
          // Response headers and trailers; the host side checks and keeps them (rpc.ResponseMetadata) and
          // answers with why it refused one: 'T' a bad name or value (TypeError), 'E' the call is over.
          setHeader(name, value) { this.#add(false, name, value); }
          setTrailer(name, value) { this.#add(true, name, value); }
          #add(trailer, name, value) {
            if (typeof name !== 'string') {
              throw new TypeError((trailer ? 'setTrailer' : 'setHeader') + ': the name must be a string, got '
                  + (name === null ? 'null' : typeof name));
            }
            const refusal = this.#addMetadata(trailer, name, value);
            if (refusal !== null) throw refusal[0] === 'T' ? new TypeError(refusal.slice(1)) : new Error(refusal.slice(1));
          }
          get metadata() { return this.#metadata ??= this.#metadataOf(); }
          get signal() {
            if (this.#signal === undefined) {
              this.#signal = new AbortSignal(signalAbort);
              if (this.#abortedWith !== undefined) abortSignal(this.#signal, ...this.#abortedWith);
            }
            return this.#signal;
          }
          // console.log and JSON.stringify show all four, making metadata and signal only when asked to.
          [inspectCustom](depth, options, inspect) {
            return 'CallContext ' + inspect({ method: this.method, deadline: this.deadline, metadata: this.metadata,
                signal: this.signal });
          }
          toJSON() {
            return { method: this.method, deadline: this.deadline, metadata: this.metadata,
                signal: { aborted: this.signal.aborted } };
          }
          [abortContext](code, message) {
            if (this.#signal === undefined) this.#abortedWith ??= [code, message];
            else abortSignal(this.#signal, code, message);
          }
        }

        // The requests of a client-streaming or bidi call: an async iterable, its own iterator (read once, as
        // Node's streams are), pulled on demand: the host side (RequestIterable) asks the transport for more as
        // requests are taken ('taken') or awaited ('wanted'), and hands them in here ('next', 'end', 'fail').
        const requestsFeed = Symbol('feed');
        class Requests {
          #buffered = [];
          #waiting = [];
          #ended = false;
          #closed = false;
          #failed = false;
          #reason = undefined;
          #taken;
          #wanted;
          constructor(key, taken, wanted) {
            if (key !== requestsFeed) throw new TypeError('Illegal constructor');
            this.#taken = taken;
            this.#wanted = wanted;
          }
          [Symbol.asyncIterator]() { return this; }
          next() {
            if (this.#failed) return Promise.reject(this.#reason);
            if (this.#buffered.length > 0) {
              const value = this.#buffered.shift();
              this.#taken();
              return Promise.resolve({ value, done: false });
            }
            if (this.#ended || this.#closed) return Promise.resolve({ value: undefined, done: true });
            return new Promise((resolve, reject) => {
              this.#waiting.push({ resolve, reject });
              this.#wanted();
            });
          }
          // A for await left early (break, return, throw): no more requests are read.
          return() {
            this.#closed = true;
            this.#buffered = [];
            for (const w of this.#waiting.splice(0)) w.resolve({ value: undefined, done: true });
            return Promise.resolve({ value: undefined, done: true });
          }
          [inspectCustom]() { return 'Requests {}'; }
          static [requestsFeed](requests, kind, value) {
            if (requests.#closed || requests.#failed) return;
            if (kind === 'next') {
              const waiter = requests.#waiting.shift();
              if (waiter === undefined) {
                requests.#buffered.push(value);
              } else {
                requests.#taken();
                waiter.resolve({ value, done: false });
              }
            } else if (kind === 'end') {
              requests.#ended = true;
              for (const w of requests.#waiting.splice(0)) w.resolve({ value: undefined, done: true });
            } else {
              requests.#failed = true;
              requests.#reason = value;
              requests.#buffered = [];
              for (const w of requests.#waiting.splice(0)) w.reject(value);
            }
          }
        }
        Object.defineProperty(Requests.prototype, Symbol.toStringTag, { value: 'Requests', configurable: true });
        const feedRequests = Requests[requestsFeed];

        // Sub-millisecond nanoseconds of the Dates made from Timestamps, kept while the Date is unchanged.
        const dateNanos = new WeakMap();

        return Object.freeze({
          callContext: (method, deadlineMillis, metadataOf, addMetadata) =>
              new CallContext(method, deadlineMillis, metadataOf, addMetadata),
          abortCallContext: (context, code, message) => context[abortContext](code, message),
          requests: (taken, wanted) => new Requests(requestsFeed, taken, wanted),
          feedRequests,
          signalReason: (context) => context.signal.reason,
          asyncIterator: (v) => (v !== null && (typeof v === 'object' || typeof v === 'function')
              && typeof v[Symbol.asyncIterator] === 'function') ? v[Symbol.asyncIterator]() : null,
          // ResponsePump's loop, in JavaScript so that a response costs one call into Java (send) rather than
          // a promise callback, member reads and a next() from Java. send(value) says whether to go on now;
          // when not, wait(go) is called and the loop goes on once Java calls go(true). It settles with the
          // last iterator result (done, or not an object), or undefined if Java stopped it (go(false)).
          // Callbacks rather than an async function: with the interpreter, each await of one costs a
          // generator resumption more per response.
          pumpResponses: (it, send, wait) => new Promise((resolve, reject) => {
            const onResult = (r) => {
              try {
                if (r === null || (typeof r !== 'object' && typeof r !== 'function')) return resolve(r);
                const d = r.done;
                if (d !== undefined && d !== null && (typeof d !== 'boolean' || d)) return resolve(r);
                if (send(r.value)) pull(); else wait(go);
              } catch (e) {
                reject(e);
              }
            };
            const pull = () => {
              const p = it.next();
              if (p !== null && (typeof p === 'object' || typeof p === 'function') && typeof p.then === 'function') {
                p.then(onResult, reject);
              } else {
                onResult(p);
              }
            };
            const go = (on) => {
              if (!on) return resolve(undefined);
              try {
                pull();
              } catch (e) {
                reject(e);
              }
            };
            wait(go);
          }),
          newObject: () => ({}),
          newDate: (ms, subMsNanos) => {
            const d = new Date(ms);
            if (subMsNanos !== 0) dateNanos.set(d, [ms, subMsNanos]);
            return d;
          },
          dateParts: (v) => {
            if (!(v instanceof Date)) return null;
            const ms = v.getTime();
            const kept = dateNanos.get(v);
            return [ms, kept !== undefined && kept[0] === ms ? kept[1] : 0];
          },
          isUndefined: (v) => v === undefined,
          defineMember: (o, key, value) => {
            Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
          },
          newArray: () => [],
          bigInt: (s) => BigInt(s),
          bytesFromHost: (hostBuffer) => {
            const src = new Uint8Array(hostBuffer);
            const dst = new Uint8Array(src.length);
            dst.set(src);
            return dst;
          },
          viewParts: (v) => ArrayBuffer.isView(v) ? [v.buffer, v.byteOffset, v.byteLength] : null,
          describe,
          fsError: (code, syscall, path, message, denied) => {
            const e = new Error(message);
            e.code = code;
            e.syscall = syscall;
            e.path = path;
            return denied ? markDenied(e) : e;
          },
          isDeniedPermission: (e) => e !== null && typeof e === 'object' && e[deniedPermission] === true,
          freeze: (o) => Object.freeze(o),
          stackOf: (e) => (e !== null && typeof e === 'object' && typeof e.stack === 'string') ? e.stack : String(e),
          messageOf: (e) => (e !== null && typeof e === 'object' && typeof e.message === 'string') ? e.message : String(e),
          toStringOf: (e) => { try { return String(e); } catch (x) { return Object.prototype.toString.call(e); } },
        });
      })
      """;

  private Prelude() {}

  /**
   * Runs the prelude in a fresh context; returns the helpers for the Java side. The {@link TimersPrelude}
   * and the {@link ConsolePrelude} run later, on the script's first use of a timer or of the console.
   */
  static JsHelpers install(Context context, HostFs fs, ConsoleLevelTag consoleLevel, TimerBindings timers,
      BrokerBindings broker, List<String> hostArgs, FetchBindings fetch, EnvBindings env) {
    Source source = Source.newBuilder("js", SOURCE, "bridge-prelude.js").internal(true).buildLiteral();
    Value bootstrap = context.eval(source);
    FsBindings bindings = new FsBindings(fs);
    // The prelude calls these with its describe(), on the script's first use of a timer or of console.
    ProxyExecutable installTimers = args -> {
      timers.attach(TimersPrelude.install(context, timers, args[0]));
      return null;
    };
    ProxyExecutable installConsole = args -> {
      ConsolePrelude.install(context, args[0], consoleLevel.function(), args[1]);
      return null;
    };
    ProxyExecutable installBroker = args -> BrokerPrelude.install(context, broker, args[0], args[1]);
    ProxyExecutable installFetch = args -> FetchPrelude.install(context, fetch, args[0], args[1]);
    ProxyExecutable installWeb = args -> {
      WebPrelude.install(context, args[0]);
      return null;
    };
    ProxyExecutable installCrypto = args -> {
      CryptoPrelude.install(context, args[0]);
      return null;
    };
    ProxyExecutable installProcess = args -> {
      ProcessPrelude.install(context, env);
      return null;
    };
    ProxyExecutable installBuffer = args -> {
      BufferPrelude.install(context, args[0]);
      return null;
    };
    Value helperFunctions = bootstrap.execute(bindings.proxy(), installTimers, installConsole, installBroker,
        ProxyArray.fromArray(hostArgs.toArray()), installFetch, installWeb, installCrypto, installProcess,
        installBuffer);
    JsHelpers helpers = new JsHelpers(helperFunctions);
    bindings.attach(helpers);
    return helpers;
  }
}
