package dev.bridge.script;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * The {@code broker} global, installed on the script's first use of it ({@link Prelude}): {@code dial(id, service)}
 * resolves to a client with a method per RPC of the service, {@code close(id)} closes that connection;
 * {@code serve(service, handlers)} resolves to the id the host dials, {@code stop(id)} stops serving it. The calls' JavaScript side is here (options, the four shapes, the
 * responses as an async iterable pulled with bounded read-ahead, requests sent as the transport is ready); the
 * host side is {@link BrokerBindings}, whose events arrive on the JS thread as tasks of their own.
 */
final class BrokerPrelude {
  private static final String SOURCE = """
      (function (host, RpcError, describe) {
        'use strict';
        // Responses asked of the server ahead of the script's reads, as the handlers' requests are (RequestIterable).
        const READ_AHEAD = 16;
        const OPTIONS = ['deadline', 'timeout', 'metadata', 'signal'];
        const DONE = Object.freeze({ value: undefined, done: true });
        const failureOf = (code, message, details) => new RpcError(code, message, { details });

        // go-plugin's broker ids are uint32; a request field may bring one as a number or a BigInt.
        function brokerId(id, what) {
          if (typeof id === 'bigint' && id >= 0n && id <= 4294967295n) return id.toString();
          if (typeof id === 'number' && Number.isInteger(id) && id >= 0 && id <= 4294967295) return String(id);
          throw new TypeError(what + ': the broker id must be an integer from 0 to 4294967295 (a number or BigInt, '
              + 'as the host sent it), got ' + (typeof id === 'number' || typeof id === 'bigint' ? String(id) : describe(id)));
        }
        function serviceName(service, what) {
          if (typeof service !== 'string') {
            throw new TypeError(what + ': the service is named by its full name, a string such as "pkg.Service", got '
                + describe(service));
          }
          return service;
        }

        function callOptions(name, options) {
          const o = { deadline: null, metadata: null, signal: null };
          if (options === undefined || options === null) return o;
          if (typeof options !== 'object' || Array.isArray(options)) {
            throw new TypeError(name + ': the options must be an object {deadline, timeout, metadata, signal}, got '
                + describe(options));
          }
          for (const key of Object.keys(options)) {
            if (!OPTIONS.includes(key)) {
              throw new TypeError(name + ': unknown option "' + key + '" (known: ' + OPTIONS.join(', ') + ')');
            }
          }
          const { deadline, timeout, metadata, signal } = options;
          if (deadline !== undefined && deadline !== null) {
            if (!(deadline instanceof Date) || Number.isNaN(deadline.getTime())) {
              throw new TypeError(name + ': options.deadline must be a valid Date, got ' + describe(deadline));
            }
            o.deadline = deadline.getTime();
          }
          if (timeout !== undefined && timeout !== null) {
            if (typeof timeout !== 'number' || !(timeout >= 0) || timeout === Infinity) {
              throw new TypeError(name + ': options.timeout must be a number of milliseconds, 0 or more, got '
                  + (typeof timeout === 'number' ? String(timeout) : describe(timeout)));
            }
            const at = Date.now() + timeout;
            o.deadline = o.deadline === null ? at : Math.min(o.deadline, at);
          }
          if (metadata !== undefined && metadata !== null) {
            if (typeof metadata !== 'object' || Array.isArray(metadata)) {
              throw new TypeError(name + ': options.metadata must be an object of header name to string, '
                  + 'Uint8Array (for a name ending in -bin) or an array of them, got ' + describe(metadata));
            }
            o.metadata = metadata;
          }
          if (signal !== undefined && signal !== null) {
            if (typeof signal !== 'object' || typeof signal.aborted !== 'boolean'
                || typeof signal.addEventListener !== 'function') {
              throw new TypeError(name + ': options.signal must be an AbortSignal, got ' + describe(signal));
            }
            o.signal = signal;
          }
          return o;
        }

        // One call. Whatever ends it first decides its outcome: the server's status, the signal's abort, a request
        // that does not fit or the requests' iterable failing (the script's own error, the call cancelled).
        class Call {
          #handle = null;
          #sink;
          #signal = null;
          #onAbort = null;
          #readyWaiters = [];
          ended = false;
          constructor(channel, method, name, options, sink) {
            const o = callOptions(name, options);
            this.name = name;
            this.#sink = sink;
            if (o.signal !== null && o.signal.aborted) {
              this.ended = true;
              Promise.resolve().then(() => sink.end(o.signal.reason, true));
              return;
            }
            const handle = channel.start(method, o.deadline, o.metadata,
                (kind, a, b, c) => this.#event(kind, a, b, c));
            if (typeof handle === 'string') throw new TypeError(name + ': ' + handle);
            this.#handle = handle;
            if (o.signal !== null) {
              this.#signal = o.signal;
              this.#onAbort = () => {
                if (this.ended) return;
                this.#handle.cancel('aborted by the script');
                this.#end(o.signal.reason, true);
              };
              o.signal.addEventListener('abort', this.#onAbort);
            }
          }
          #event(kind, a, b, c) {
            if (kind === 'message') {
              if (!this.ended) this.#sink.message(a);
            } else if (kind === 'ready') {
              this.#wake();
            } else if (kind === 'close') {
              this.#end(a === null ? null : failureOf(a, b, c), false);
            }
          }
          // local: the script ended the call (abort, its own error), so responses not yet read are dropped; the
          // server's end comes after the responses it sent, which are read first.
          #end(error, local) {
            if (this.ended) return;
            this.ended = true;
            if (this.#signal !== null) this.#signal.removeEventListener('abort', this.#onAbort);
            this.#wake();
            this.#sink.end(error, local);
          }
          #wake() {
            for (const wake of this.#readyWaiters.splice(0)) wake();
          }
          fail(error) {
            if (this.ended) return;
            this.#handle.cancel(String(error !== null && typeof error === 'object' ? error.message : error));
            this.#end(error, true);
          }
          cancel(reason) {
            if (this.ended) return;
            this.#handle.cancel(reason);
            this.#end(new RpcError('CANCELLED', this.name + ': ' + reason), true);
          }
          request(count) {
            if (!this.ended) this.#handle.request(count);
          }
          isReady() {
            return !this.ended && this.#handle.isReady();
          }
          whenReady() {
            return new Promise((resolve) => this.#readyWaiters.push(resolve));
          }
          send(value, path) {
            if (this.ended) return false;
            const refusal = this.#handle.send(value, path);
            if (refusal === null) return true;
            this.fail(new RpcError('INTERNAL', this.name + ': ' + refusal));
            return false;
          }
          halfClose() {
            if (!this.ended) this.#handle.halfClose();
          }
        }

        // The responses of a server-streaming or bidi call: an async iterable, its own iterator, read once. Responses
        // are asked of the server as the script reads, never more than READ_AHEAD beyond what it took; leaving a
        // for await early (break, return, throw) cancels the call.
        const sinkOf = Symbol('sink');
        class Responses {
          #buffered = [];
          #waiting = [];
          #end = undefined;
          #closed = false;
          #requested = 0;
          #taken = 0;
          #call = null;
          [Symbol.asyncIterator]() { return this; }
          next() {
            if (this.#buffered.length > 0) {
              const value = this.#buffered.shift();
              this.#taken++;
              this.#topUp();
              return Promise.resolve({ value, done: false });
            }
            if (this.#end !== undefined) {
              const end = this.#end;
              this.#end = null;
              return end === null ? Promise.resolve(DONE) : Promise.reject(end);
            }
            return new Promise((resolve, reject) => {
              this.#waiting.push({ resolve, reject });
              this.#topUp();
            });
          }
          return() {
            if (!this.#closed) {
              this.#closed = true;
              this.#buffered = [];
              this.#end = null;
              if (this.#call !== null) this.#call.cancel('the script stopped reading the responses');
              for (const w of this.#waiting.splice(0)) w.resolve(DONE);
            }
            return Promise.resolve(DONE);
          }
          #topUp() {
            if (this.#call === null || this.#call.ended || this.#requested - this.#taken > READ_AHEAD / 2) return;
            const more = this.#taken + READ_AHEAD - this.#requested;
            this.#requested += more;
            this.#call.request(more);
          }
          static [sinkOf](responses) {
            return {
              attach(call) { responses.#call = call; },
              message(value) {
                if (responses.#closed) return;
                const waiter = responses.#waiting.shift();
                if (waiter === undefined) {
                  responses.#buffered.push(value);
                } else {
                  responses.#taken++;
                  waiter.resolve({ value, done: false });
                  responses.#topUp();
                }
              },
              end(error, local) {
                if (responses.#closed) return;
                if (local) responses.#buffered = [];
                responses.#end = error;
                const waiting = responses.#waiting.splice(0);
                if (waiting.length > 0) {
                  responses.#end = null;
                  if (error === null) waiting[0].resolve(DONE);
                  else waiting[0].reject(error);
                  for (const w of waiting.slice(1)) w.resolve(DONE);
                }
              },
            };
          }
        }
        Object.defineProperty(Responses.prototype, Symbol.toStringTag, { value: 'Responses', configurable: true });

        function requestsOf(name, requests) {
          if (requests !== null && (typeof requests === 'object' || typeof requests === 'function')) {
            if (typeof requests[Symbol.asyncIterator] === 'function') return requests[Symbol.asyncIterator]();
            if (typeof requests[Symbol.iterator] === 'function') return requests[Symbol.iterator]();
          }
          throw new TypeError(name + ': the requests must be an async iterable (such as an async generator) or an '
              + 'iterable (such as an array), got ' + describe(requests));
        }

        // Sends what the requests' iterator gives, one at a time while the transport takes more (isReady, else the
        // 'ready' event), then half-closes. The call ending first closes the iterator; the iterator failing cancels
        // the call, which then fails with what it threw.
        async function sendAll(call, requests) {
          let index = 0;
          try {
            while (!call.ended) {
              if (!call.isReady()) {
                await call.whenReady();
                continue;
              }
              const step = await requests.next();
              if (call.ended) break;
              if (step === null || typeof step !== 'object') {
                throw new TypeError(call.name + ': the requests\\' iterator gave ' + describe(step)
                    + ' instead of {value, done}');
              }
              if (step.done) {
                call.halfClose();
                return;
              }
              if (!call.send(step.value, 'requests[' + index++ + ']')) break;
            }
          } catch (e) {
            call.fail(e);
            return;
          }
          if (typeof requests.return === 'function') {
            try {
              await requests.return();
            } catch (e) {
              // the call is over; what its requests' clean-up throws changes nothing
            }
          }
        }

        // The one response of a unary or client-streaming call.
        function oneResponse(name, resolve, reject) {
          let response;
          let received = false;
          return {
            message(value) {
              response = value;
              received = true;
            },
            end(error) {
              if (error !== null) reject(error);
              else if (received) resolve(response);
              else reject(new RpcError('INTERNAL', name + ': the server ended the call without a response'));
            },
          };
        }

        function method(channel, service, rpc, shape) {
          const name = service + '/' + rpc;
          switch (shape) {
            case 'unary':
              return (request, options) => new Promise((resolve, reject) => {
                const call = new Call(channel, rpc, name, options, oneResponse(name, resolve, reject));
                call.request(1);
                if (call.send(request, 'request')) call.halfClose();
              });
            case 'server-streaming':
              return (request, options) => {
                const responses = new Responses();
                const sink = Responses[sinkOf](responses);
                const call = new Call(channel, rpc, name, options, sink);
                sink.attach(call);
                if (call.send(request, 'request')) call.halfClose();
                return responses;
              };
            case 'client-streaming':
              return (requests, options) => new Promise((resolve, reject) => {
                const iterator = requestsOf(name, requests);
                const call = new Call(channel, rpc, name, options, oneResponse(name, resolve, reject));
                call.request(1);
                sendAll(call, iterator);
              });
            default:
              return (requests, options) => {
                const iterator = requestsOf(name, requests);
                const responses = new Responses();
                const sink = Responses[sinkOf](responses);
                const call = new Call(channel, rpc, name, options, sink);
                sink.attach(call);
                sendAll(call, iterator);
                return responses;
              };
          }
        }

        function client(channel, service, methods) {
          const c = {};
          for (const [rpc, shape] of methods) {
            const fn = method(channel, service, rpc, shape);
            Object.defineProperty(fn, 'name', { value: rpc });
            c[rpc] = fn;
          }
          return Object.freeze(c);
        }

        const broker = Object.freeze({
          async dial(id, service) {
            const idText = brokerId(id, 'broker.dial');
            serviceName(service, 'broker.dial');
            const methods = host.describe(service);
            if (typeof methods === 'string') throw new Error('broker.dial: ' + methods);
            const channel = await new Promise((resolve, reject) => {
              host.dial(idText, service, resolve, (code, message, details) => reject(failureOf(code, message, details)));
            });
            return client(channel, service, methods);
          },
          async serve(service, handlers) {
            serviceName(service, 'broker.serve');
            return new Promise((resolve, reject) => {
              const refusal = host.serve(service, handlers, resolve,
                  (code, message, details) => reject(failureOf(code, message, details)));
              if (refusal !== null) reject(new TypeError('broker.serve: ' + refusal));
            });
          },
          async stop(id) {
            const idText = brokerId(id, 'broker.stop');
            return new Promise((resolve) => host.stop(idText, resolve));
          },
          async close(id) {
            const idText = brokerId(id, 'broker.close');
            return new Promise((resolve) => host.close(idText, resolve));
          },
        });
        return broker;
      })
      """;

  private BrokerPrelude() {}

  /** Evaluates the broker's JavaScript in {@code context}; returns the {@code broker} object. */
  static Value install(Context context, BrokerBindings bindings, Value rpcError, Value describe) {
    Source source = Source.newBuilder("js", SOURCE, "bridge-broker.js").internal(true).buildLiteral();
    return context.eval(source).execute(bindings.proxy(), rpcError, describe);
  }
}
