package dev.bridge.script;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * Node's {@code Buffer}, enough for the npm packages that expect it: a {@code Uint8Array} subclass with
 * {@code Buffer.from} (string, array, ArrayBuffer, another buffer), {@code alloc}, {@code allocUnsafe},
 * {@code concat}, {@code isBuffer}, {@code isEncoding}, {@code byteLength}, {@code toString(encoding,
 * start, end)}, {@code equals}, {@code compare}, {@code toJSON}, and {@code slice} sharing memory as
 * Node's does. Encodings: utf8, hex, base64, base64url, latin1 (binary) and ascii; others throw a
 * {@code TypeError} naming them. Pure JavaScript, installed by the {@link Prelude} on first use.
 */
final class BufferPrelude {
  private static final String SOURCE = """
      (function (describe) {
        'use strict';
        const encoder = new TextEncoder();
        const decoder = new TextDecoder();
        const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
        const B64_INDEX = new Int16Array(128).fill(-1);
        for (let i = 0; i < 64; i++) B64_INDEX[B64.charCodeAt(i)] = i;
        B64_INDEX[45] = 62;  // '-' and '_': base64url, which Node also accepts when decoding base64
        B64_INDEX[95] = 63;
        function encodingOf(encoding) {
          if (encoding === undefined || encoding === null) return 'utf8';
          const e = String(encoding).toLowerCase();
          switch (e) {
            case 'utf8': case 'utf-8': return 'utf8';
            case 'hex': return 'hex';
            case 'base64': return 'base64';
            case 'base64url': return 'base64url';
            case 'latin1': case 'binary': return 'latin1';
            case 'ascii': return 'ascii';
            default: {
              const err = new TypeError('Unknown encoding: ' + encoding
                  + ' (supported: utf8, hex, base64, base64url, latin1, ascii)');
              err.code = 'ERR_UNKNOWN_ENCODING';
              throw err;
            }
          }
        }
        function bytesFromString(s, encoding) {
          switch (encodingOf(encoding)) {
            case 'utf8': return encoder.encode(s);
            case 'hex': {
              const n = s.length >> 1;
              const out = new Uint8Array(n);
              let i = 0;
              for (; i < n; i++) {
                const b = parseInt(s.substr(i * 2, 2), 16);
                if (Number.isNaN(b) || !/^[0-9a-fA-F]{2}$/.test(s.substr(i * 2, 2))) break;  // Node stops at the first bad pair
                out[i] = b;
              }
              return out.subarray(0, i);
            }
            case 'base64': case 'base64url': {
              const out = new Uint8Array(Math.ceil(s.length * 3 / 4));
              let n = 0, acc = 0, bits = 0;
              for (let i = 0; i < s.length; i++) {
                const c = s.charCodeAt(i);
                if (c === 61) break;  // '='
                const v = c < 128 ? B64_INDEX[c] : -1;
                if (v < 0) continue;  // whitespace and the like are skipped, as in Node
                acc = ((acc << 6) | v) & 0xffffff;
                bits += 6;
                if (bits >= 8) { bits -= 8; out[n++] = (acc >> bits) & 255; }
              }
              return out.subarray(0, n);
            }
            default: {  // latin1, ascii: one byte per UTF-16 unit
              const out = new Uint8Array(s.length);
              for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 255;
              return out;
            }
          }
        }
        function stringFromBytes(b, encoding) {
          switch (encodingOf(encoding)) {
            case 'utf8': return decoder.decode(b);
            case 'hex': return Array.from(b, (x) => (x < 16 ? '0' : '') + x.toString(16)).join('');
            case 'base64': case 'base64url': {
              const url = encodingOf(encoding) === 'base64url';
              let out = '';
              for (let i = 0; i < b.length; i += 3) {
                const n = (b[i] << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
                out += B64[n >> 18] + B64[(n >> 12) & 63] + (i + 1 < b.length ? B64[(n >> 6) & 63] : url ? '' : '=')
                    + (i + 2 < b.length ? B64[n & 63] : url ? '' : '=');
              }
              return url ? out.replace(/\\+/g, '-').replace(/\\//g, '_') : out;
            }
            case 'ascii': {
              let out = '';
              for (let i = 0; i < b.length; i += 8192) out += String.fromCharCode.apply(null, Array.from(b.subarray(i, i + 8192), (x) => x & 127));
              return out;
            }
            default: {
              let out = '';
              for (let i = 0; i < b.length; i += 8192) out += String.fromCharCode.apply(null, b.subarray(i, i + 8192));
              return out;
            }
          }
        }
        class Buffer extends Uint8Array {
          static from(value, encodingOrOffset, length) {
            if (typeof value === 'string') return Buffer.#of(bytesFromString(value, encodingOrOffset));
            if (value instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && value instanceof SharedArrayBuffer)) {
              const offset = encodingOrOffset === undefined ? 0 : Number(encodingOrOffset);
              return new Buffer(value, offset, length === undefined ? value.byteLength - offset : Number(length));
            }
            if (ArrayBuffer.isView(value)) {
              const b = new Buffer(value.length);
              for (let i = 0; i < value.length; i++) b[i] = Number(value[i]) & 255;
              return b;
            }
            if (value !== null && typeof value === 'object') {
              if (value.type === 'Buffer' && Array.isArray(value.data)) return Buffer.from(value.data);
              if (typeof value.length === 'number' || Array.isArray(value)) {
                const b = new Buffer(value.length);
                for (let i = 0; i < value.length; i++) b[i] = Number(value[i]) & 255;
                return b;
              }
            }
            const err = new TypeError('The first argument must be of type string or an instance of Buffer, ArrayBuffer,'
                + ' or Array or an Array-like Object. Received ' + describe(value));
            err.code = 'ERR_INVALID_ARG_TYPE';
            throw err;
          }
          static #of(bytes) {
            const b = new Buffer(bytes.length);
            b.set(bytes);
            return b;
          }
          static alloc(size, fill, encoding) {
            const b = new Buffer(Buffer.#size(size));
            if (fill !== undefined && fill !== 0) b.fill(fill, 0, b.length, encoding);
            return b;
          }
          static allocUnsafe(size) { return new Buffer(Buffer.#size(size)); }
          static #size(size) {
            if (typeof size !== 'number' || !(size >= 0) || size > 2 ** 31) {
              const err = new RangeError('The "size" argument must be a number from 0 to 2^31. Received ' + describe(size)
                  + (typeof size === 'number' ? ' ' + size : ''));
              err.code = 'ERR_OUT_OF_RANGE';
              throw err;
            }
            return Math.floor(size);
          }
          static isBuffer(v) { return v instanceof Buffer; }
          static isEncoding(e) { try { encodingOf(e); return typeof e === 'string'; } catch (x) { return false; } }
          static byteLength(value, encoding) {
            if (typeof value === 'string') return bytesFromString(value, encoding).length;
            if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return value.byteLength;
            throw new TypeError('Buffer.byteLength: the argument must be a string, an ArrayBuffer or a view, got ' + describe(value));
          }
          static concat(list, totalLength) {
            if (!Array.isArray(list)) throw new TypeError('Buffer.concat: the list must be an array, got ' + describe(list));
            const total = totalLength === undefined ? list.reduce((n, b) => n + b.length, 0) : totalLength;
            const out = Buffer.alloc(total);
            let at = 0;
            for (const b of list) {
              if (!(b instanceof Uint8Array)) {
                throw new TypeError('Buffer.concat: each item must be a Buffer or Uint8Array, got ' + describe(b));
              }
              if (at >= total) break;
              out.set(b.length > total - at ? b.subarray(0, total - at) : b, at);
              at += b.length;
            }
            return out;
          }
          static compare(a, b) { return a.compare(b); }
          toString(encoding, start = 0, end = this.length) {
            return stringFromBytes(this.subarray(Math.max(0, start), Math.min(this.length, end)), encoding);
          }
          toJSON() { return { type: 'Buffer', data: Array.from(this) }; }
          equals(other) { return this.compare(other) === 0; }
          compare(other) {
            if (!(other instanceof Uint8Array)) throw new TypeError('compare: the argument must be a Buffer or Uint8Array, got ' + describe(other));
            const n = Math.min(this.length, other.length);
            for (let i = 0; i < n; i++) if (this[i] !== other[i]) return this[i] < other[i] ? -1 : 1;
            return this.length === other.length ? 0 : this.length < other.length ? -1 : 1;
          }
          // Node's slice shares memory, as subarray does (Uint8Array's copies).
          slice(start, end) { return this.subarray(start, end); }
          fill(value, offset = 0, end = this.length, encoding) {
            if (typeof offset === 'string') { encoding = offset; offset = 0; end = this.length; }
            if (typeof value === 'string') {
              const bytes = bytesFromString(value, encoding);
              if (bytes.length === 0) return super.fill(0, offset, end);
              for (let i = offset, j = 0; i < end; i++, j = (j + 1) % bytes.length) this[i] = bytes[j];
              return this;
            }
            return super.fill(typeof value === 'number' ? value & 255 : 0, offset, end);
          }
          write(string, offset = 0, length, encoding) {
            if (typeof offset === 'string') { encoding = offset; offset = 0; }
            const bytes = bytesFromString(string, encoding);
            const n = Math.min(bytes.length, this.length - offset, length ?? Infinity);
            this.set(bytes.subarray(0, n), offset);
            return n;
          }
          [Symbol.for('nodejs.util.inspect.custom')]() {
            const shown = Array.from(this.subarray(0, 50), (x) => (x < 16 ? '0' : '') + x.toString(16));
            return '<Buffer' + (shown.length ? ' ' + shown.join(' ') : '') + (this.length > 50 ? ' ... ' + (this.length - 50) + ' more bytes' : '') + '>';
          }
        }
        Object.defineProperty(globalThis, 'Buffer', { value: Buffer, writable: true, configurable: true, enumerable: false });
      })
      """;

  private BufferPrelude() {}

  static void install(Context context, Value describe) {
    Source source = Source.newBuilder("js", SOURCE, "bridge-buffer.js").internal(true).buildLiteral();
    context.eval(source).execute(describe);
  }
}
