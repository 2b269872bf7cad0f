package dev.bridge.script;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * The web platform's small globals, as browsers, Node and Deno have them: {@code URL},
 * {@code URLSearchParams}, {@code atob}, {@code btoa}, {@code structuredClone} and {@code performance}.
 * GraalJS offers none of them in this context. Installed by the {@link Prelude} on first use, as the
 * timers are, so a start that uses none pays nothing.
 *
 * <p>Choices: {@code URL} follows WHATWG parsing for the cases scripts meet (special schemes with
 * default ports dropped, host names lower-cased, dot segments removed, percent-encoding of path, query
 * and fragment, relative resolution against a base, opaque paths such as {@code mailto:}); host names
 * that are not ASCII are kept as given rather than converted to punycode. Errors are
 * {@code TypeError}s ("Invalid URL: ..."), as in Node. {@code structuredClone} copies plain objects,
 * arrays, Dates, RegExps, Maps, Sets, ArrayBuffers, typed arrays, Errors and boxed primitives, keeping
 * shared and cyclic references; functions and symbols throw a {@code DataCloneError}.
 * {@code performance.now()} counts from the context's start on the JVM's monotonic clock.
 */
final class WebPrelude {
  private static final String SOURCE = """
      (function (nanoTime, describe) {
        'use strict';
        const G = globalThis;
        const define = (name, value) => Object.defineProperty(G, name,
            { value, writable: true, configurable: true, enumerable: false });
        function domError(name, message) {
          const e = new Error(message);
          e.name = name;
          return e;
        }

        // ---- atob / btoa (forgiving base64, as WHATWG has it)
        const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
        function btoa(data) {
          if (arguments.length === 0) throw new TypeError('btoa: 1 argument required, but only 0 present');
          const s = String(data);
          let out = '';
          for (let i = 0; i < s.length; i += 3) {
            const a = s.charCodeAt(i), b = s.charCodeAt(i + 1), c = s.charCodeAt(i + 2);
            if (a > 255 || b > 255 || c > 255) {
              throw domError('InvalidCharacterError', 'btoa: the string has a character outside Latin-1');
            }
            const n = (a << 16) | ((b || 0) << 8) | (c || 0);
            out += B64[n >> 18] + B64[(n >> 12) & 63]
                + (i + 1 < s.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < s.length ? B64[n & 63] : '=');
          }
          return out;
        }
        function atob(data) {
          if (arguments.length === 0) throw new TypeError('atob: 1 argument required, but only 0 present');
          let s = String(data).replace(/[\\t\\n\\f\\r ]/g, '');
          if (s.length % 4 === 0) s = s.replace(/==?$/, '');
          if (s.length % 4 === 1 || /[^A-Za-z0-9+\\/]/.test(s)) {
            throw domError('InvalidCharacterError', 'atob: the string to be decoded is not correctly encoded');
          }
          let out = '', bits = 0, acc = 0;
          for (let i = 0; i < s.length; i++) {
            acc = (acc << 6) | B64.indexOf(s[i]);
            bits += 6;
            if (bits >= 8) {
              bits -= 8;
              out += String.fromCharCode((acc >> bits) & 255);
            }
          }
          return out;
        }
        define('atob', atob);
        define('btoa', btoa);

        // ---- percent-encoding
        const encoder = new TextEncoder();
        const decoder = new TextDecoder();
        const hex = (b) => '%' + (b < 16 ? '0' : '') + b.toString(16).toUpperCase();
        function percentEncode(s, keep) {
          let out = '';
          for (const ch of s) {
            const c = ch.codePointAt(0);
            if (c > 0x20 && c < 0x7f && !keep.includes(ch)) out += ch;
            else if (c > 0x7f || c <= 0x20 || c === 0x7f || keep.includes(ch)) {
              for (const b of encoder.encode(ch)) out += hex(b);
            }
          }
          return out;
        }
        function percentDecode(s) {
          if (!s.includes('%')) return s;
          const bytes = encoder.encode(s);
          const out = new Uint8Array(bytes.length);
          let n = 0;
          const isHex = (b) => (b >= 48 && b <= 57) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102);
          for (let i = 0; i < bytes.length; i++) {
            if (bytes[i] === 37 && i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) {
              out[n++] = parseInt(String.fromCharCode(bytes[i + 1], bytes[i + 2]), 16);
              i += 2;
            } else {
              out[n++] = bytes[i];
            }
          }
          return decoder.decode(out.subarray(0, n));
        }
        // The sets of characters encoded besides controls, space and non-ASCII (WHATWG's encode sets).
        const FRAGMENT_SET = '"<>`';
        const QUERY_SET = '"#<>';
        const SPECIAL_QUERY_SET = '"#<>\\'';
        const PATH_SET = '"#<>?`{}';
        const USERINFO_SET = '"#<>?`{}/:;=@[\\\\]^|';

        // ---- URLSearchParams (application/x-www-form-urlencoded)
        function formEncode(s) {
          let out = '';
          for (const b of encoder.encode(s)) {
            if ((b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b === 42 || b === 45
                || b === 46 || b === 95) out += String.fromCharCode(b);
            else if (b === 32) out += '+';
            else out += hex(b);
          }
          return out;
        }
        function formParse(query) {
          const list = [];
          for (const part of query.split('&')) {
            if (part === '') continue;
            const eq = part.indexOf('=');
            const name = eq < 0 ? part : part.slice(0, eq);
            const value = eq < 0 ? '' : part.slice(eq + 1);
            list.push([percentDecode(name.replace(/\\+/g, ' ')), percentDecode(value.replace(/\\+/g, ' '))]);
          }
          return list;
        }
        const toUSV = (v) => String(v).toWellFormed ? String(v).toWellFormed() : String(v);
        const attachUrl = Symbol('url');
        class URLSearchParams {
          #list = [];
          #url = null;
          constructor(init = '') {
            if (init instanceof URLSearchParams) {
              this.#list = [...init].map(([k, v]) => [k, v]);
            } else if (init !== null && typeof init === 'object' || typeof init === 'function') {
              if (typeof init[Symbol.iterator] === 'function') {
                for (const pair of init) {
                  const p = [...pair];
                  if (p.length !== 2) {
                    throw new TypeError('URLSearchParams: each pair must have exactly two items, got ' + p.length);
                  }
                  this.#list.push([toUSV(p[0]), toUSV(p[1])]);
                }
              } else {
                for (const key of Object.keys(init)) this.#list.push([toUSV(key), toUSV(init[key])]);
              }
            } else {
              const s = toUSV(init);
              this.#list = formParse(s.startsWith('?') ? s.slice(1) : s);
            }
          }
          static [attachUrl](params, url, query) {
            params.#url = url;
            params.#list = formParse(query);
          }
          #update() {
            if (this.#url !== null) this.#url[attachUrl](this.#list.length === 0 ? null : this.toString());
          }
          get size() { return this.#list.length; }
          append(name, value) { this.#list.push([toUSV(name), toUSV(value)]); this.#update(); }
          delete(name, value) {
            const n = toUSV(name), v = value === undefined ? undefined : toUSV(value);
            this.#list = this.#list.filter(([k, x]) => !(k === n && (v === undefined || x === v)));
            this.#update();
          }
          get(name) { const n = toUSV(name); const e = this.#list.find(([k]) => k === n); return e ? e[1] : null; }
          getAll(name) { const n = toUSV(name); return this.#list.filter(([k]) => k === n).map(([, v]) => v); }
          has(name, value) {
            const n = toUSV(name), v = value === undefined ? undefined : toUSV(value);
            return this.#list.some(([k, x]) => k === n && (v === undefined || x === v));
          }
          set(name, value) {
            const n = toUSV(name), v = toUSV(value);
            const at = this.#list.findIndex(([k]) => k === n);
            if (at < 0) this.#list.push([n, v]);
            else this.#list = this.#list.filter(([k], i) => k !== n || i === at).map((e) => e[0] === n ? [n, v] : e);
            this.#update();
          }
          sort() {
            // Stable, by UTF-16 code units, as the standard says.
            this.#list = this.#list.map((e, i) => [e, i])
                .sort((a, b) => (a[0][0] < b[0][0] ? -1 : a[0][0] > b[0][0] ? 1 : a[1] - b[1])).map(([e]) => e);
            this.#update();
          }
          forEach(callback, thisArg) {
            if (typeof callback !== 'function') {
              throw new TypeError('URLSearchParams.forEach: the callback must be a function, got ' + describe(callback));
            }
            for (let i = 0; i < this.#list.length; i++) callback.call(thisArg, this.#list[i][1], this.#list[i][0], this);
          }
          *entries() { for (let i = 0; i < this.#list.length; i++) yield [this.#list[i][0], this.#list[i][1]]; }
          *keys() { for (const [k] of this.entries()) yield k; }
          *values() { for (const [, v] of this.entries()) yield v; }
          [Symbol.iterator]() { return this.entries(); }
          toString() { return this.#list.map(([k, v]) => formEncode(k) + '=' + formEncode(v)).join('&'); }
          [Symbol.for('nodejs.util.inspect.custom')](depth, options, inspect) {
            return 'URLSearchParams ' + inspect(Object.fromEntries(this.#list));
          }
        }
        Object.defineProperty(URLSearchParams.prototype, Symbol.toStringTag,
            { value: 'URLSearchParams', configurable: true });

        // ---- URL
        const SPECIAL = { 'ftp:': '21', 'file:': '', 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443' };
        const isSpecial = (protocol) => Object.prototype.hasOwnProperty.call(SPECIAL, protocol);
        function invalid(input, why) {
          const e = new TypeError('Invalid URL: ' + input + (why ? ' (' + why + ')' : ''));
          e.code = 'ERR_INVALID_URL';
          e.input = input;
          return e;
        }
        function parseHost(host, special, input) {
          if (host.startsWith('[')) {
            if (!/^\\[[0-9A-Fa-f:.]+\\]$/.test(host)) throw invalid(input, 'bad IPv6 address');
            return host.toLowerCase();
          }
          if (!special) return percentEncode(host, '');
          const h = percentDecode(host).toLowerCase();
          if (/[\\u0000\\t\\n\\r #/:<>?@[\\\\\\]^|%]/.test(h)) throw invalid(input, 'forbidden host code point');
          if (/^[0-9.]+$/.test(h) && h.split('.').filter((x) => x !== '').length === 4) {
            const parts = h.split('.').filter((x) => x !== '');
            if (parts.some((p) => Number(p) > 255)) throw invalid(input, 'bad IPv4 address');
            return parts.map(Number).join('.');
          }
          return h;
        }
        function normalizePath(segments) {
          const out = [];
          for (let i = 0; i < segments.length; i++) {
            const s = segments[i], last = i === segments.length - 1;
            const lower = s.toLowerCase();
            if (s === '..' || lower === '.%2e' || lower === '%2e.' || lower === '%2e%2e') {
              if (out.length > 0) out.pop();
              if (last) out.push('');
            } else if (s === '.' || lower === '%2e') {
              if (last) out.push('');
            } else {
              out.push(percentEncode(s, PATH_SET));
            }
          }
          return '/' + out.join('/');
        }
        function splitTail(rest) {
          // rest -> [before ?/#, query or null, fragment or null]
          let fragment = null, query = null;
          const hashAt = rest.indexOf('#');
          if (hashAt >= 0) { fragment = rest.slice(hashAt + 1); rest = rest.slice(0, hashAt); }
          const qAt = rest.indexOf('?');
          if (qAt >= 0) { query = rest.slice(qAt + 1); rest = rest.slice(0, qAt); }
          return [rest, query, fragment];
        }
        function parseAuthority(r, auth, input) {
          const at = auth.lastIndexOf('@');
          let hostPort = auth;
          if (at >= 0) {
            const info = auth.slice(0, at);
            hostPort = auth.slice(at + 1);
            const colon = info.indexOf(':');
            r.username = percentEncode(colon < 0 ? info : info.slice(0, colon), USERINFO_SET);
            r.password = colon < 0 ? '' : percentEncode(info.slice(colon + 1), USERINFO_SET);
          }
          const m = /^(\\[[^\\]]*\\]|[^:]*)(?::(.*))?$/.exec(hostPort);
          if (m === null) throw invalid(input, 'bad host');
          const special = isSpecial(r.protocol);
          r.hostname = parseHost(m[1], special, input);
          if (special && r.hostname === '' && r.protocol !== 'file:') throw invalid(input, 'empty host');
          const port = m[2] === undefined ? '' : m[2];
          if (port !== '') {
            if (!/^[0-9]+$/.test(port) || Number(port) > 65535) throw invalid(input, 'bad port');
            r.port = String(Number(port)) === SPECIAL[r.protocol] ? '' : String(Number(port));
          } else {
            r.port = '';
          }
        }
        function parse(input, base) {
          const original = input;
          input = String(input).replace(/^[\\u0000-\\u0020]+|[\\u0000-\\u0020]+$/g, '').replace(/[\\t\\n\\r]/g, '');
          const r = { protocol: '', username: '', password: '', hostname: '', port: '', pathname: '', query: null,
              fragment: null, opaque: false, hasHost: false };
          const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(input);
          let rest;
          if (scheme !== null) {
            r.protocol = scheme[1].toLowerCase() + ':';
            rest = input.slice(scheme[0].length);
            const special = isSpecial(r.protocol);
            if (special && base !== undefined && base.protocol === r.protocol && !/^[\\/\\\\]/.test(rest)) {
              return relative(r, rest, base, original);   // "http:foo" against an http base
            }
            if (r.protocol === 'file:') {
              // file: keeps an empty host: file:///etc/hosts and file:/etc/hosts are the same URL.
              if (/^[\\/\\\\]{2}/.test(rest)) return withAuthority(r, rest.slice(2), original);
              r.hasHost = true;
              return withPath(r, rest.startsWith('/') || rest.startsWith('\\\\') ? rest : '/' + rest, original);
            }
            if (special ? true : rest.startsWith('//')) {
              rest = special ? rest.replace(/^[\\/\\\\]*/, '') : rest.slice(2);
              return withAuthority(r, rest, original);
            }
            const [path, query, fragment] = splitTail(rest);
            if (path.startsWith('/')) {
              r.pathname = normalizePath(path.slice(1).split('/'));
            } else {
              r.opaque = true;
              r.pathname = percentEncode(path, '');
            }
            r.query = query === null ? null : percentEncode(query, QUERY_SET);
            r.fragment = fragment === null ? null : percentEncode(fragment, FRAGMENT_SET);
            return r;
          }
          if (base === undefined) throw invalid(original, 'a relative URL without a base');
          return relative(r, input, base, original);
        }
        function withAuthority(r, rest, original) {
          const special = isSpecial(r.protocol);
          const end = rest.search(special ? /[\\/\\\\?#]/ : /[\\/?#]/);
          parseAuthority(r, end < 0 ? rest : rest.slice(0, end), original);
          r.hasHost = true;
          return withPath(r, end < 0 ? '' : rest.slice(end), original);
        }
        function withPath(r, rest, original) {
          const special = isSpecial(r.protocol);
          const [path, query, fragment] = splitTail(special ? rest.replace(/\\\\/g, '/') : rest);
          r.pathname = path === '' ? (special ? '/' : '') : normalizePath(path.slice(1).split('/'));
          r.query = query === null ? null : percentEncode(query, special ? SPECIAL_QUERY_SET : QUERY_SET);
          r.fragment = fragment === null ? null : percentEncode(fragment, FRAGMENT_SET);
          return r;
        }
        function relative(r, input, base, original) {
          const special = isSpecial(base.protocol);
          Object.assign(r, { protocol: base.protocol });
          if (base.opaque) {
            if (!input.startsWith('#')) throw invalid(original, 'the base URL cannot have relative URLs');
            Object.assign(r, base, { fragment: percentEncode(input.slice(1), FRAGMENT_SET) });
            return r;
          }
          const slash = special ? /^[\\/\\\\]/ : /^\\//;
          if (slash.test(input) && slash.test(input.slice(1))) return withAuthority(r, input.slice(2), original);
          Object.assign(r, { username: base.username, password: base.password, hostname: base.hostname,
              port: base.port, hasHost: base.hasHost });
          if (slash.test(input)) return withPath(r, input, original);
          const [path, query, fragment] = splitTail(special ? input.replace(/\\\\/g, '/') : input);
          if (path === '') {
            r.pathname = base.pathname;
            r.query = query === null ? base.query : percentEncode(query, special ? SPECIAL_QUERY_SET : QUERY_SET);
            r.fragment = fragment === null ? null : percentEncode(fragment, FRAGMENT_SET);
            return r;
          }
          const dir = base.pathname.slice(0, base.pathname.lastIndexOf('/') + 1);
          return withPath(r, (dir === '' ? '/' : dir) + path
              + (query === null ? '' : '?' + query) + (fragment === null ? '' : '#' + fragment), original);
        }

        class URL {
          #r;
          #params = null;
          constructor(url, base) {
            if (arguments.length === 0) throw new TypeError('URL: 1 argument required, but only 0 present');
            const b = base === undefined ? undefined : (base instanceof URL ? base.#r : parse(String(base)));
            this.#r = parse(String(url instanceof URL ? url.href : url), b);
          }
          static canParse(url, base) {
            try { new URL(url, base); return true; } catch (e) { return false; }
          }
          static parse(url, base) {
            try { return new URL(url, base); } catch (e) { return null; }
          }
          [attachUrl](query) { this.#r.query = query; }
          get protocol() { return this.#r.protocol; }
          set protocol(v) {
            const p = String(v).replace(/:.*$/s, '').toLowerCase() + ':';
            if (/^[a-z][a-z0-9+.-]*:$/.test(p) && isSpecial(p) === isSpecial(this.#r.protocol)) {
              this.#r.protocol = p;
              if (SPECIAL[p] === this.#r.port) this.#r.port = '';
            }
          }
          get username() { return this.#r.username; }
          set username(v) { if (this.#r.hasHost && this.#r.hostname) this.#r.username = percentEncode(String(v), USERINFO_SET); }
          get password() { return this.#r.password; }
          set password(v) { if (this.#r.hasHost && this.#r.hostname) this.#r.password = percentEncode(String(v), USERINFO_SET); }
          get hostname() { return this.#r.hostname; }
          set hostname(v) {
            if (this.#r.opaque) return;
            try { const h = parseHost(String(v), isSpecial(this.#r.protocol), String(v)); if (h !== '') this.#r.hostname = h; } catch (e) { /* ignored, as in browsers */ }
          }
          get port() { return this.#r.port; }
          set port(v) {
            const m = /^[0-9]*/.exec(String(v))[0];
            if (this.#r.opaque || !this.#r.hasHost || this.#r.protocol === 'file:') return;
            if (m === '') { if (String(v) === '') this.#r.port = ''; return; }
            if (Number(m) > 65535) return;
            this.#r.port = String(Number(m)) === SPECIAL[this.#r.protocol] ? '' : String(Number(m));
          }
          get host() { return this.#r.hostname + (this.#r.port === '' ? '' : ':' + this.#r.port); }
          set host(v) {
            const m = /^(\\[[^\\]]*\\]|[^:]*)(?::([0-9]*))?/.exec(String(v));
            const before = this.#r.hostname;
            this.hostname = m[1];
            if (m[2] !== undefined && this.#r.hostname !== before || m[2] !== undefined) this.port = m[2];
          }
          get origin() {
            const p = this.#r.protocol;
            if (p === 'blob:') { try { return new URL(this.#r.pathname).origin; } catch (e) { return 'null'; } }
            return isSpecial(p) && p !== 'file:' ? p + '//' + this.host : 'null';
          }
          get pathname() { return this.#r.pathname; }
          set pathname(v) {
            if (this.#r.opaque) return;
            const s = String(v);
            const special = isSpecial(this.#r.protocol);
            const p = special ? s.replace(/\\\\/g, '/') : s;
            this.#r.pathname = p === '' && !special ? '' : normalizePath((p.startsWith('/') ? p.slice(1) : p).split('/'))
                .replace(/\\?/g, '%3F').replace(/#/g, '%23');
          }
          get search() { return this.#r.query === null || this.#r.query === '' ? '' : '?' + this.#r.query; }
          set search(v) {
            let s = String(v);
            if (s.startsWith('?')) s = s.slice(1);
            this.#r.query = s === '' ? null : percentEncode(s, isSpecial(this.#r.protocol) ? SPECIAL_QUERY_SET : QUERY_SET);
            if (this.#params !== null) URLSearchParams[attachUrl](this.#params, this, this.#r.query ?? '');
          }
          get searchParams() {
            if (this.#params === null) {
              this.#params = new URLSearchParams();
              URLSearchParams[attachUrl](this.#params, this, this.#r.query ?? '');
            }
            return this.#params;
          }
          get hash() { return this.#r.fragment === null || this.#r.fragment === '' ? '' : '#' + this.#r.fragment; }
          set hash(v) {
            let s = String(v);
            if (s.startsWith('#')) s = s.slice(1);
            this.#r.fragment = s === '' ? null : percentEncode(s, FRAGMENT_SET);
          }
          get href() {
            const r = this.#r;
            let out = r.protocol;
            if (r.hasHost) {
              out += '//';
              if (r.username !== '' || r.password !== '') {
                out += r.username + (r.password !== '' ? ':' + r.password : '') + '@';
              }
              out += this.host;
            } else if (!r.opaque && r.pathname.startsWith('//')) {
              out += '/.';
            }
            out += r.pathname;
            if (r.query !== null) out += '?' + r.query;
            if (r.fragment !== null) out += '#' + r.fragment;
            return out;
          }
          set href(v) {
            const r = parse(String(v));
            this.#r = r;
            if (this.#params !== null) URLSearchParams[attachUrl](this.#params, this, r.query ?? '');
          }
          toString() { return this.href; }
          toJSON() { return this.href; }
          [Symbol.for('nodejs.util.inspect.custom')]() { return "URL '" + this.href + "'"; }
        }
        Object.defineProperty(URL.prototype, Symbol.toStringTag, { value: 'URL', configurable: true });
        for (const name of ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port',
            'pathname', 'search', 'searchParams', 'hash']) {
          Object.defineProperty(URL.prototype, name,
              { ...Object.getOwnPropertyDescriptor(URL.prototype, name), enumerable: true });
        }
        define('URL', URL);
        define('URLSearchParams', URLSearchParams);

        // ---- structuredClone
        function structuredClone(value, options) {
          if (arguments.length === 0) throw new TypeError('structuredClone: 1 argument required, but only 0 present');
          const seen = new Map();
          const fail = (v) => domError('DataCloneError', describe(v) + ' could not be cloned'
              + (typeof v === 'function' ? ': ' + (v.name || 'anonymous') + '()' : ''));
          function clone(v) {
            if (typeof v === 'function' || typeof v === 'symbol') throw fail(v);
            if (v === null || typeof v !== 'object') return v;
            if (seen.has(v)) return seen.get(v);
            const tag = Object.prototype.toString.call(v);
            let out;
            const keep = (o) => { seen.set(v, o); return o; };
            if (Array.isArray(v)) {
              out = keep(new Array(v.length));
              for (const k of Object.keys(v)) out[k] = clone(v[k]);
              return out;
            }
            if (v instanceof Date) return keep(new Date(v.getTime()));
            if (v instanceof RegExp) return keep(new RegExp(v.source, v.flags));
            if (v instanceof ArrayBuffer) return keep(v.slice(0));
            if (ArrayBuffer.isView(v)) {
              const buffer = clone(v.buffer);
              const C = v instanceof DataView ? DataView
                  : Object.getPrototypeOf(Object.getPrototypeOf(v)) === Uint8Array.prototype ? Uint8Array : v.constructor;
              const length = v instanceof DataView ? v.byteLength : v.length;
              return keep(new C(buffer, v.byteOffset, length));
            }
            if (v instanceof Map) {
              out = keep(new Map());
              for (const [k, x] of v) out.set(clone(k), clone(x));
              return out;
            }
            if (v instanceof Set) {
              out = keep(new Set());
              for (const x of v) out.add(clone(x));
              return out;
            }
            if (v instanceof Error) {
              const names = ['EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError'];
              const C = names.includes(v.name) ? G[v.name] : Error;
              out = keep(new C(v.message));
              if (typeof v.stack === 'string') out.stack = v.stack;
              if ('cause' in v) out.cause = clone(v.cause);
              return out;
            }
            if (tag === '[object Boolean]' || tag === '[object Number]' || tag === '[object String]'
                || tag === '[object BigInt]') {
              return keep(Object(v.valueOf()));
            }
            if (tag !== '[object Object]' || v instanceof Promise || v instanceof WeakMap || v instanceof WeakSet) {
              throw fail(v);
            }
            out = keep({});
            for (const k of Object.keys(v)) out[k] = clone(v[k]);
            return out;
          }
          return clone(value);
        }
        define('structuredClone', structuredClone);

        // ---- performance
        const origin = nanoTime();
        const timeOrigin = Date.now();
        const performance = Object.freeze({
          now: () => (nanoTime() - origin) / 1e6,
          timeOrigin,
          toJSON: () => ({ timeOrigin }),
        });
        define('performance', performance);
      })
      """;

  private WebPrelude() {}

  /** Defines the globals in the context; {@code describe} is the prelude's (names a value's type in errors). */
  static void install(Context context, Value describe) {
    Source source = Source.newBuilder("js", SOURCE, "bridge-web.js").internal(true).buildLiteral();
    ProxyExecutable nanoTime = args -> (double) System.nanoTime();
    context.eval(source).execute(nanoTime, describe);
  }
}
