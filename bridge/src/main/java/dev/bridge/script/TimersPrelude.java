package dev.bridge.script;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * The timer globals, installed after the {@link Prelude}: {@code setTimeout}/{@code clearTimeout},
 * {@code setInterval}/{@code clearInterval}, {@code setImmediate}/{@code clearImmediate} and
 * {@code queueMicrotask}, as in Node. Callbacks stay in JavaScript; the host ({@link TimerBindings})
 * only learns ids, delays and labels, and calls back {@code fire(id)} when one is due.
 *
 * <p>Choices: timers return Node's {@code Timeout} objects ({@code ref}, {@code unref}, {@code hasRef},
 * {@code refresh}, {@code close}, and the id as their primitive value, so {@code clearTimeout(+t)} and
 * {@code clearTimeout(String(t))} work too); {@code ref}/{@code unref} change only what {@code hasRef}
 * says, as the plugin runs until its host stops it. A delay is made a number; below 1, NaN or missing
 * it is 1 ms, fractions are cut, and one above 2^31-1 ms is 1 ms with a warning in the log, as in Node.
 * What a callback throws is logged with its stack; an interval goes on after a throw, but not after
 * being interrupted for running longer than the call timeout.
 */
final class TimersPrelude {
  private static final String SOURCE = """
      (function (host, describe) {
        'use strict';
        const G = globalThis;
        const define = (name, value) => Object.defineProperty(G, name,
            { value, writable: true, configurable: true, enumerable: false });
        const MAX_DELAY = 2 ** 31 - 1;
        const internal = Symbol('internal');
        // id -> Timeout or Immediate whose callback is due to run; the host knows the same ids.
        const armed = new Map();
        let lastId = 0;

        function checkCallback(callback) {
          if (typeof callback !== 'function') {
            const e = new TypeError('The "callback" argument must be of type function. Received ' + describe(callback));
            e.code = 'ERR_INVALID_ARG_TYPE';
            throw e;
          }
          return callback;
        }
        function delayOf(kind, delay) {
          let ms = delay * 1;
          if (ms > MAX_DELAY) {
            host.warn(kind + ': a delay of ' + ms + ' ms does not fit in a 32-bit signed integer; 1 ms is used instead');
            ms = 1;
          } else if (!(ms >= 1)) {
            ms = 1;
          }
          return Math.trunc(ms);
        }
        function labelOf(kind, id, callback) {
          let name;
          try { name = callback.name; } catch (e) { name = undefined; }
          return kind + (id === null ? '' : ' #' + id) + ' (' + (typeof name === 'string' && name ? name : 'anonymous') + ')';
        }
        function report(label, thrown) {
          let text;
          try {
            text = (thrown !== null && typeof thrown === 'object' && typeof thrown.stack === 'string')
                ? thrown.stack : String(thrown);
          } catch (e) {
            text = Object.prototype.toString.call(thrown);
          }
          host.warn(label + ' threw: ' + text);
        }

        let isTimeout, runTimeout, clearTimeoutOf;
        class Timeout {
          #id = ++lastId;
          #callback;
          #args;
          #delay;
          #repeat;
          #label;
          #refed = true;
          #cleared = false;
          constructor(key, callback, delay, args, repeat) {
            if (key !== internal) throw new TypeError('Illegal constructor');
            this.#callback = callback;
            this.#delay = delay;
            this.#args = args;
            this.#repeat = repeat;
            this.#label = labelOf(repeat ? 'setInterval' : 'setTimeout', this.#id, callback);
            this.#arm();
          }
          #arm() {
            armed.set(this.#id, this);
            host.start(this.#id, this.#delay, this.#label);
          }
          hasRef() { return this.#refed; }
          ref() { this.#refed = true; return this; }
          unref() { this.#refed = false; return this; }
          refresh() {
            if (!this.#cleared) this.#arm();
            return this;
          }
          close() {
            clearTimeoutOf(this);
            return this;
          }
          [Symbol.toPrimitive]() { return this.#id; }
          static {
            isTimeout = (v) => v !== null && typeof v === 'object' && #id in v;
            runTimeout = (t) => {
              try {
                t.#callback.apply(t, t.#args);
              } catch (e) {
                report(t.#label, e);
              }
              // Not reached when the callback was interrupted (catch does not see that): such an interval stops.
              if (t.#repeat && !t.#cleared && !armed.has(t.#id)) t.#arm();
            };
            clearTimeoutOf = (t) => {
              t.#cleared = true;
              if (armed.get(t.#id) === t) {
                armed.delete(t.#id);
                host.cancel(t.#id);
              }
            };
          }
        }

        let isImmediate, runImmediate, clearImmediateOf;
        class Immediate {
          #id = ++lastId;
          #callback;
          #args;
          #label;
          #refed = true;
          constructor(key, callback, args) {
            if (key !== internal) throw new TypeError('Illegal constructor');
            this.#callback = callback;
            this.#args = args;
            this.#label = labelOf('setImmediate', this.#id, callback);
            armed.set(this.#id, this);
            host.immediate(this.#id, this.#label);
          }
          hasRef() { return this.#refed; }
          ref() { this.#refed = true; return this; }
          unref() { this.#refed = false; return this; }
          static {
            isImmediate = (v) => v !== null && typeof v === 'object' && #id in v;
            runImmediate = (i) => {
              const callback = i.#callback;
              const args = i.#args;
              i.#callback = i.#args = null;
              try {
                callback.apply(i, args);
              } catch (e) {
                report(i.#label, e);
              }
            };
            clearImmediateOf = (i) => {
              if (armed.get(i.#id) === i) {
                armed.delete(i.#id);
                host.cancel(i.#id);
              }
            };
          }
        }

        function clearTimer(timer) {
          if (typeof timer === 'number' || typeof timer === 'string') timer = armed.get(Number(timer));
          if (isTimeout(timer)) clearTimeoutOf(timer);
        }

        define('setTimeout', function setTimeout(callback, delay, ...args) {
          return new Timeout(internal, checkCallback(callback), delayOf('setTimeout', delay), args, false);
        });
        define('setInterval', function setInterval(callback, delay, ...args) {
          return new Timeout(internal, checkCallback(callback), delayOf('setInterval', delay), args, true);
        });
        define('clearTimeout', function clearTimeout(timeout) { clearTimer(timeout); });
        define('clearInterval', function clearInterval(timeout) { clearTimer(timeout); });
        define('setImmediate', function setImmediate(callback, ...args) {
          return new Immediate(internal, checkCallback(callback), args);
        });
        define('clearImmediate', function clearImmediate(immediate) {
          if (isImmediate(immediate)) clearImmediateOf(immediate);
        });

        // Taken now, so that a script replacing Promise or its then cannot change when microtasks run.
        const settled = Promise.resolve();
        const then = Promise.prototype.then;
        define('queueMicrotask', function queueMicrotask(callback) {
          checkCallback(callback);
          then.call(settled, () => {
            try {
              callback();
            } catch (e) {
              report(labelOf('queueMicrotask', null, callback), e);
            }
          });
        });

        // fire(id): run the callback of the timer with this id, if it is still armed.
        return function fire(id) {
          const timer = armed.get(id);
          if (timer === undefined) return;
          armed.delete(id);
          if (isTimeout(timer)) runTimeout(timer);
          else runImmediate(timer);
        };
      })
      """;

  private TimersPrelude() {}

  /** Defines the timer globals in the context; returns {@code fire(id)} for the host. */
  static Value install(Context context, TimerBindings timers, Value describe) {
    Source source = Source.newBuilder("js", SOURCE, "bridge-timers.js").internal(true).buildLiteral();
    return context.eval(source).execute(timers.proxy(), describe);
  }
}
