package dev.bridge.script;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * The web's {@code fetch}, {@code Headers}, {@code Request} and {@code Response}, installed on the script's first
 * use of one of them ({@link Prelude}). The network side is {@link FetchBindings}; what it reports arrives here as
 * tasks on the JS thread: the head resolves the promise, chunks feed the body, which is read whole
 * ({@code text()}, {@code json()}, {@code arrayBuffer()}, {@code bytes()}) or as it comes ({@code body}: an async
 * iterable of {@code Uint8Array} chunks with {@code getReader()}).
 */
final class FetchPrelude {
  private static final String SOURCE = """
      (function (host, describe, markDenied) {
        'use strict';
        const headerName = (name) => {
          const n = String(name).toLowerCase();
          if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(n)) throw new TypeError('Headers: "' + name + '" is not a valid header name');
          return n;
        };
        const headerValue = (value) => String(value).trim();
        class Headers {
          #map = new Map();
          constructor(init) {
            if (init === undefined || init === null) return;
            if (init instanceof Headers || Array.isArray(init)) {
              for (const pair of init) {
                if (!Array.isArray(pair) || pair.length !== 2) throw new TypeError('Headers: each pair must be [name, value]');
                this.append(pair[0], pair[1]);
              }
            } else if (typeof init === 'object') {
              for (const key of Object.keys(init)) this.append(key, init[key]);
            } else {
              throw new TypeError('Headers: expected an object, an array of pairs or Headers, got ' + describe(init));
            }
          }
          append(name, value) {
            const n = headerName(name);
            const values = this.#map.get(n);
            if (values === undefined) this.#map.set(n, [headerValue(value)]);
            else values.push(headerValue(value));
          }
          set(name, value) { this.#map.set(headerName(name), [headerValue(value)]); }
          get(name) {
            const values = this.#map.get(headerName(name));
            return values === undefined ? null : values.join(', ');
          }
          getSetCookie() { return [...(this.#map.get('set-cookie') ?? [])]; }
          has(name) { return this.#map.has(headerName(name)); }
          delete(name) { this.#map.delete(headerName(name)); }
          *entries() { for (const name of [...this.#map.keys()].sort()) yield [name, this.get(name)]; }
          *keys() { for (const [name] of this.entries()) yield name; }
          *values() { for (const [, value] of this.entries()) yield value; }
          forEach(fn, thisArg) { for (const [name, value] of this.entries()) fn.call(thisArg, value, name, this); }
          [Symbol.iterator]() { return this.entries(); }
        }
        Object.defineProperty(Headers.prototype, Symbol.toStringTag, { value: 'Headers', configurable: true });

        const encoder = (text) => bytesOfText(text);
        function bytesOfText(text) {
          // UTF-8, without relying on TextEncoder, which the sandbox may lack.
          const s = unescape(encodeURIComponent(text));
          const out = new Uint8Array(s.length);
          for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
          return out;
        }
        // A body the script gave: a string, bytes, URLSearchParams-like, or null.
        function bodyBytes(body, what) {
          if (body === undefined || body === null) return null;
          if (typeof body === 'string') return encoder(body);
          if (body instanceof Uint8Array) return body;
          if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
          if (body instanceof ArrayBuffer) return new Uint8Array(body);
          if (typeof body === 'object' && typeof body.toString === 'function' && body.constructor
              && body.constructor.name === 'URLSearchParams') return encoder(body.toString());
          throw new TypeError(what + ': the body must be a string, an ArrayBuffer or a typed array, got ' + describe(body));
        }

        // A body as it arrives: chunks queued until read, reads waiting until chunks come.
        class ByteStream {
          #chunks = [];
          #waiting = [];
          #done = false;
          #error = undefined;
          #locked = false;
          push(chunk) {
            const w = this.#waiting.shift();
            if (w) this.#hand(w, chunk);
            else this.#chunks.push(chunk);
          }
          // Each chunk handed to the reader is told to the host (taken), which then fetches more: back-pressure.
          #hand(w, chunk) {
            this.taken?.(chunk.length);
            w.resolve({ value: chunk, done: false });
          }
          end() {
            this.#done = true;
            for (const w of this.#waiting.splice(0)) w.resolve({ value: undefined, done: true });
          }
          fail(error) {
            if (this.#done) return;
            this.#done = true;
            this.#error = error;
            this.#chunks = [];
            for (const w of this.#waiting.splice(0)) w.reject(error);
          }
          read() {
            if (this.#chunks.length > 0) {
              const chunk = this.#chunks.shift();
              this.taken?.(chunk.length);
              return Promise.resolve({ value: chunk, done: false });
            }
            if (this.#error !== undefined) return Promise.reject(this.#error);
            if (this.#done) return Promise.resolve({ value: undefined, done: true });
            return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
          }
          get locked() { return this.#locked; }
          lock(what) {
            if (this.#locked) throw new TypeError(what + ': the body has already been read');
            this.#locked = true;
          }
          getReader() {
            this.lock('getReader');
            return Object.freeze({
              read: () => this.read(),
              releaseLock: () => {},
              cancel: (reason) => { this.cancelled?.(reason); this.fail(reason ?? new Error('cancelled')); return Promise.resolve(); },
              closed: Promise.resolve(),
            });
          }
          [Symbol.asyncIterator]() {
            this.lock('for await');
            return { next: () => this.read(), return: () => {
              this.cancelled?.();
              this.end();
              return Promise.resolve({ value: undefined, done: true });
            }, [Symbol.asyncIterator]() { return this; } };
          }
          static of(bytes) {
            const s = new ByteStream();
            if (bytes !== null && bytes.length > 0) s.push(bytes);
            s.end();
            return s;
          }
        }
        Object.defineProperty(ByteStream.prototype, Symbol.toStringTag, { value: 'ReadableStream', configurable: true });

        const streamOf = Symbol('stream');
        const used = Symbol('used');
        const bytesOf = Symbol('bytes');
        async function allBytes(body, what) {
          if (body[used]) throw new TypeError(what + ': the body has already been read');
          body[used] = true;
          const stream = body[streamOf];
          if (stream === null) return new Uint8Array(0);
          stream.lock(what);
          const chunks = [];
          let total = 0;
          for (;;) {
            const { value, done } = await stream.read();
            if (done) break;
            chunks.push(value);
            total += value.length;
          }
          const all = new Uint8Array(total);
          let at = 0;
          for (const c of chunks) { all.set(c, at); at += c.length; }
          return all;
        }
        const bodyMethods = {
          get body() { this[used] = true; return this[streamOf]; },
          get bodyUsed() { return this[used]; },
          async arrayBuffer() { const b = await allBytes(this, 'arrayBuffer'); return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength); },
          async bytes() { return allBytes(this, 'bytes'); },
          async text() { return host.utf8(await allBytes(this, 'text')); },
          async json() { return JSON.parse(await this.text()); },
        };

        const REDIRECTS = ['follow', 'manual', 'error'];
        class Request {
          constructor(input, init) {
            init = init ?? {};
            if (typeof init !== 'object') throw new TypeError('Request: the options must be an object, got ' + describe(init));
            const from = input instanceof Request ? input : null;
            this.url = from ? from.url : String(input);
            this.method = String(init.method ?? (from ? from.method : 'GET')).toUpperCase();
            this.headers = new Headers(init.headers ?? (from ? from.headers : undefined));
            this.signal = init.signal ?? (from ? from.signal : null);
            this.redirect = init.redirect ?? (from ? from.redirect : 'follow');
            if (!REDIRECTS.includes(this.redirect)) {
              throw new TypeError('Request: redirect must be one of ' + REDIRECTS.join(', ') + ', got ' + describe(this.redirect));
            }
            const bytes = 'body' in init ? bodyBytes(init.body, 'Request') : from ? from[bytesOf] ?? null : null;
            if (bytes !== null && (this.method === 'GET' || this.method === 'HEAD')) {
              throw new TypeError('Request: a ' + this.method + ' request cannot have a body');
            }
            if (typeof init.body === 'string' && !this.headers.has('content-type')) {
              this.headers.set('content-type', 'text/plain;charset=UTF-8');
            }
            this[bytesOf] = bytes;
            this[streamOf] = bytes === null ? null : ByteStream.of(bytes);
            this[used] = false;
          }
        }
        Object.defineProperties(Request.prototype, Object.getOwnPropertyDescriptors(bodyMethods));
        Object.defineProperty(Request.prototype, Symbol.toStringTag, { value: 'Request', configurable: true });

        const fromNetwork = Symbol('network');
        class Response {
          constructor(body, init) {
            init = init ?? {};
            if (body !== null && typeof body === 'object' && body[fromNetwork]) {
              const n = body[fromNetwork];
              this.status = n.status; this.statusText = ''; this.headers = n.headers; this.url = n.url;
              this.redirected = n.redirected; this.type = 'basic';
              this[streamOf] = n.stream;
            } else {
              this.status = init.status ?? 200;
              if (!Number.isInteger(this.status) || this.status < 200 || this.status > 599) {
                throw new RangeError('Response: status must be from 200 to 599, got ' + describe(init.status));
              }
              this.statusText = String(init.statusText ?? '');
              this.headers = new Headers(init.headers);
              this.url = ''; this.redirected = false; this.type = 'default';
              const bytes = bodyBytes(body, 'Response');
              if (typeof body === 'string' && !this.headers.has('content-type')) {
                this.headers.set('content-type', 'text/plain;charset=UTF-8');
              }
              this[streamOf] = bytes === null ? null : ByteStream.of(bytes);
            }
            this[used] = false;
          }
          get ok() { return this.status >= 200 && this.status <= 299; }
          static json(data, init) {
            const headers = new Headers(init?.headers);
            if (!headers.has('content-type')) headers.set('content-type', 'application/json');
            return new Response(JSON.stringify(data), { ...init, headers });
          }
          static error() { const r = new Response(null, { status: 200 }); r.type = 'error'; return r; }
        }
        Object.defineProperties(Response.prototype, Object.getOwnPropertyDescriptors(bodyMethods));
        Object.defineProperty(Response.prototype, Symbol.toStringTag, { value: 'Response', configurable: true });

        let nextId = 1;
        function fetch(input, init) {
          return new Promise((resolve, reject) => {
            const request = new Request(input, init);
            const signal = request.signal;
            if (signal !== null && signal.aborted) { reject(signal.reason); return; }
            const id = nextId++;
            let stream = null;
            let settled = false;
            const done = () => { if (signal !== null) signal.removeEventListener('abort', onAbort); };
            const onAbort = () => {
              host.abort(id);
              if (stream === null) reject(signal.reason);
              else stream.fail(signal.reason);
              settled = true;
            };
            const events = (kind, a, b, c, d) => {
              if (kind === 'head') {
                const headers = new Headers();
                for (let i = 0; i + 1 < b.length; i += 2) headers.append(b[i], b[i + 1]);
                stream = new ByteStream();
                stream.cancelled = () => { host.abort(id); done(); };
                stream.taken = (bytes) => host.read(id, bytes);
                resolve(new Response({ [fromNetwork]: { status: a, headers, url: c, redirected: d, stream } }));
              } else if (kind === 'chunk') {
                stream.push(a);
              } else if (kind === 'end') {
                stream.end();
                done();
              } else if (kind === 'error' || kind === 'denied' || kind === 'abort') {
                const error = kind === 'abort' ? new Error(a) : new TypeError(a);
                if (kind === 'abort') error.name = 'AbortError';
                if (kind === 'denied') markDenied(error);
                if (stream === null) reject(error); else stream.fail(error);
                done();
              }
            };
            const headerList = [];
            for (const [name, value] of request.headers) headerList.push(name, value);
            // Without a signal of its own, a fetch ends with the call that started it (the host knows which).
            const denied = host.start(id, request.method, request.url, headerList, request[bytesOf],
                request.redirect, events, signal === null);
            if (denied !== null) {
              const error = new TypeError(denied.slice(1));
              reject(denied[0] === 'D' ? markDenied(error) : error);
              return;
            }
            if (signal !== null) signal.addEventListener('abort', onAbort, { once: true });
          });
        }
        return { fetch, Headers, Request, Response };
      })
      """;

  private FetchPrelude() {}

  /** {@code markDenied} marks an error as a permission denial (a call it fails is PERMISSION_DENIED). */
  static Value install(Context context, FetchBindings bindings, Value describe, Value markDenied) {
    Source source = Source.newBuilder("js", SOURCE, "bridge-fetch.js").internal(true).buildLiteral();
    return context.eval(source).execute(bindings.proxy(), describe, markDenied);
  }
}
