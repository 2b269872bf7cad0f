package dev.bridge.script;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * {@code crypto.subtle} beyond digests and HMAC ({@link CryptoPrelude}), on the JDK ({@link SubtleCryptoHost}):
 * AES-GCM ({@code generateKey}, {@code importKey}/{@code exportKey} raw and jwk, {@code encrypt}, {@code decrypt}),
 * ECDSA on P-256 and Ed25519 ({@code generateKey}, {@code sign}, {@code verify}; public keys in raw, spki and jwk,
 * private keys in pkcs8 and jwk), and {@code generateKey} for HMAC. Each subtle method looks at the algorithm (or the
 * key's) and hands HMAC to {@link CryptoPrelude}'s. As there, the work is done on the JavaScript thread and the
 * promise settles with it.
 *
 * <p>A key holds, out of the script's reach: an AES key its bytes; a private key its PKCS #8 and, when known (generated
 * or imported as jwk), its public SPKI, which a jwk export needs; a public key its SPKI.
 */
final class SubtleCryptoPrelude {
  private static final String SOURCE = """
      (function (host) {
        'use strict';
        return function extend(c) {
          const { subtle, newKey, material, promised, algorithmName, hashName, bytesOf, domError, toBinary,
              fromBinary, describe, random } = c;
          const base = { ...subtle };
          const NAMES = { 'HMAC': 'HMAC', 'AES-GCM': 'AES-GCM', 'ECDSA': 'ECDSA', 'ED25519': 'Ed25519' };
          const KIND = { 'ECDSA': 'EC', 'Ed25519': 'Ed25519' };
          function nameOf(algorithm, where) {
            const name = NAMES[algorithmName(algorithm)];
            if (name === undefined) {
              throw domError('NotSupportedError', where + ': unsupported algorithm ' + algorithmName(algorithm)
                  + ' (supported: HMAC, AES-GCM, ECDSA, Ed25519)');
            }
            return name;
          }
          const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
          function b64url(bytes) {
            let out = '';
            for (let i = 0; i < bytes.length; i += 3) {
              const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
              out += B64[n >> 18] + B64[(n >> 12) & 63] + (i + 1 < bytes.length ? B64[(n >> 6) & 63] : '')
                  + (i + 2 < bytes.length ? B64[n & 63] : '');
            }
            return out;
          }
          function fromB64url(text, field) {
            if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) {
              throw domError('DataError', 'importKey: the jwk\\'s ' + field + ' is not base64url');
            }
            const out = new Uint8Array(Math.floor(text.length * 3 / 4));
            let acc = 0, bits = 0, at = 0;
            for (const ch of text) {
              acc = (acc << 6) | B64.indexOf(ch);
              bits += 6;
              if (bits >= 8) { bits -= 8; out[at++] = (acc >> bits) & 255; }
            }
            return out;
          }
          function usagesOf(usages, allowed, what, nonEmpty) {
            const list = [...(usages ?? [])].map(String);
            const bad = list.find((u) => !allowed.includes(u));
            if (bad !== undefined) throw new SyntaxError(what + ' cannot be used to ' + bad);
            if (nonEmpty && list.length === 0) throw new SyntaxError(what + ': the usages are empty');
            return list;
          }
          function keyOf(key, name, type, usage, where) {
            const m = material(key);
            if (m === undefined) throw new TypeError(where + ': the key must be a CryptoKey, got ' + describe(key));
            if (key.algorithm.name !== name) {
              throw domError('InvalidAccessError', where + ': the key is for ' + key.algorithm.name + ', not ' + name);
            }
            if (type !== null && key.type !== type) {
              throw domError('InvalidAccessError', where + ': a ' + key.type + ' key cannot ' + usage);
            }
            if (!key.usages.includes(usage)) {
              throw domError('InvalidAccessError', where + ': the key\\'s usages do not include "' + usage + '"');
            }
            return m;
          }
          const check = (value, what) => {
            if (value === null) throw domError('DataError', 'importKey: ' + what);
            return fromBinary(value);
          };
          const keyAlgorithm = (name) => (name === 'ECDSA' ? { name, namedCurve: 'P-256' } : { name });
          function curveOf(algorithm, where) {
            if (algorithm.namedCurve !== 'P-256') {
              throw domError('NotSupportedError', where + ': ECDSA keys are on P-256 only, got namedCurve '
                  + String(algorithm.namedCurve));
            }
          }

          function importAes(format, keyData, extractable, usages) {
            let secret;
            if (format === 'raw') {
              secret = bytesOf(keyData, 'importKey: the key data').slice();
            } else if (format === 'jwk') {
              if (keyData === null || typeof keyData !== 'object' || keyData.kty !== 'oct') {
                throw domError('DataError', 'importKey: an AES jwk has kty "oct"');
              }
              secret = fromB64url(keyData.k, 'k');
              if (keyData.alg !== undefined && keyData.alg !== 'A' + secret.length * 8 + 'GCM') {
                throw domError('DataError', 'importKey: the jwk\\'s alg ' + keyData.alg + ' is not A'
                    + secret.length * 8 + 'GCM');
              }
            } else {
              throw domError('NotSupportedError', 'importKey: an AES-GCM key is imported as "raw" or "jwk", got ' + format);
            }
            if (![16, 24, 32].includes(secret.length)) {
              throw domError('DataError', 'importKey: an AES key has 16, 24 or 32 bytes, got ' + secret.length);
            }
            const list = usagesOf(usages, ['encrypt', 'decrypt'], 'an AES-GCM key', true);
            return newKey('secret', extractable, { name: 'AES-GCM', length: secret.length * 8 }, list, { secret });
          }

          function importPair(name, format, keyData, algorithm, extractable, usages) {
            const kind = KIND[name];
            if (name === 'ECDSA') curveOf(algorithm, 'importKey');
            const what = 'not ' + (name === 'ECDSA' ? 'a P-256' : 'an Ed25519') + ' key';
            let spki = null, pkcs8 = null;
            if (format === 'spki') {
              spki = check(host.publicKey(kind, toBinary(bytesOf(keyData, 'importKey: the key data'))), what);
            } else if (format === 'raw') {
              const raw = bytesOf(keyData, 'importKey: the key data');
              spki = check(kind === 'Ed25519' ? host.edPublic(toBinary(raw)) : raw.length === 65 && raw[0] === 4
                  ? host.ecPublic(toBinary(raw.subarray(1, 33)), toBinary(raw.subarray(33))) : null,
                  what + (kind === 'EC' ? ' (raw: 65 bytes, 04 then x and y)' : ''));
            } else if (format === 'pkcs8') {
              pkcs8 = check(host.privateKey(kind, toBinary(bytesOf(keyData, 'importKey: the key data'))), what);
            } else if (format === 'jwk') {
              const jwk = keyData;
              const [kty, crv] = kind === 'EC' ? ['EC', 'P-256'] : ['OKP', 'Ed25519'];
              if (jwk === null || typeof jwk !== 'object' || jwk.kty !== kty || jwk.crv !== crv) {
                throw domError('DataError', 'importKey: a ' + name + ' jwk has kty "' + kty + '" and crv "' + crv + '"');
              }
              const x = toBinary(fromB64url(jwk.x, 'x'));
              spki = check(kind === 'EC' ? host.ecPublic(x, toBinary(fromB64url(jwk.y, 'y'))) : host.edPublic(x), what);
              if (jwk.d !== undefined) {
                const d = toBinary(fromB64url(jwk.d, 'd'));
                pkcs8 = check(kind === 'EC' ? host.ecPrivate(d) : host.edPrivate(d), what);
              }
            } else {
              throw domError('NotSupportedError', 'importKey: a ' + name + ' key is imported as "raw", "spki", "pkcs8"'
                  + ' or "jwk", got ' + format);
            }
            if (pkcs8 !== null) {
              const list = usagesOf(usages, ['sign'], 'a private ' + name + ' key', true);
              return newKey('private', extractable, keyAlgorithm(name), list, { pkcs8, spki });
            }
            const list = usagesOf(usages, ['verify'], 'a public ' + name + ' key', false);
            return newKey('public', extractable, keyAlgorithm(name), list, { spki });
          }

          subtle.importKey = promised((format, keyData, algorithm, extractable, usages) => {
            const name = nameOf(algorithm, 'importKey');
            if (name === 'HMAC') return base.importKey(format, keyData, algorithm, extractable, usages);
            if (name === 'AES-GCM') return importAes(format, keyData, extractable, usages);
            return importPair(name, format, keyData, algorithm, extractable, usages);
          });

          subtle.exportKey = promised((format, key) => {
            const m = material(key);
            if (m === undefined) throw new TypeError('exportKey: the key must be a CryptoKey, got ' + describe(key));
            const name = key.algorithm.name;
            if (name === 'HMAC') return base.exportKey(format, key);
            if (!key.extractable) throw domError('InvalidAccessError', 'exportKey: the key is not extractable');
            const jwkOf = (fields) => ({ ...fields, ext: true, key_ops: [...key.usages] });
            const unsupported = (formats) => domError('NotSupportedError', 'exportKey: a ' + key.type + ' ' + name
                + ' key exports as ' + formats + ', not ' + format);
            if (key.type === 'secret') {
              if (format === 'raw') return m.secret.slice().buffer;
              if (format === 'jwk') return jwkOf({ kty: 'oct', k: b64url(m.secret), alg: 'A' + m.secret.length * 8 + 'GCM' });
              throw unsupported('"raw" or "jwk"');
            }
            const kind = KIND[name];
            const publicJwk = () => {
              if (kind === 'Ed25519') return { kty: 'OKP', crv: 'Ed25519', x: b64url(fromBinary(host.edPublicRaw(toBinary(m.spki)))) };
              const xy = fromBinary(host.ecPoint(toBinary(m.spki)));
              return { kty: 'EC', crv: 'P-256', x: b64url(xy.subarray(0, 32)), y: b64url(xy.subarray(32)) };
            };
            if (key.type === 'public') {
              if (format === 'spki') return m.spki.slice().buffer;
              if (format === 'jwk') return jwkOf(publicJwk());
              if (format === 'raw') {
                if (kind === 'Ed25519') return fromBinary(host.edPublicRaw(toBinary(m.spki))).buffer;
                const xy = fromBinary(host.ecPoint(toBinary(m.spki)));
                const raw = new Uint8Array(65);
                raw[0] = 4;
                raw.set(xy, 1);
                return raw.buffer;
              }
              throw unsupported('"raw", "spki" or "jwk"');
            }
            if (format === 'pkcs8') return m.pkcs8.slice().buffer;
            if (format === 'jwk') {
              if (m.spki === null) {
                throw domError('NotSupportedError', 'exportKey: a private key imported as pkcs8 does not know its'
                    + ' public key, which a jwk holds: export it as "pkcs8"');
              }
              const d = kind === 'EC' ? host.ecScalar(toBinary(m.pkcs8)) : host.edSeed(toBinary(m.pkcs8));
              return jwkOf({ ...publicJwk(), d: b64url(fromBinary(d)) });
            }
            throw unsupported('"pkcs8" or "jwk"');
          });

          subtle.generateKey = promised((algorithm, extractable, usages) => {
            const name = nameOf(algorithm, 'generateKey');
            if (name === 'HMAC') {
              const hash = hashName(algorithm.hash, 'generateKey');
              const bits = algorithm.length ?? (hash === 'SHA-384' || hash === 'SHA-512' ? 1024 : 512);
              if (!Number.isInteger(bits) || bits <= 0 || bits % 8 !== 0) {
                throw domError('OperationError', 'generateKey: an HMAC key length is a positive multiple of 8, got ' + bits);
              }
              return base.importKey('raw', random(bits / 8), algorithm, extractable, usages);
            }
            if (name === 'AES-GCM') {
              if (![128, 192, 256].includes(algorithm.length)) {
                throw domError('OperationError', 'generateKey: an AES key length is 128, 192 or 256, got '
                    + String(algorithm.length));
              }
              return importAes('raw', random(algorithm.length / 8), extractable, usages);
            }
            if (name === 'ECDSA') curveOf(algorithm, 'generateKey');
            const list = usagesOf(usages, ['sign', 'verify'], 'a ' + name + ' key pair', false);
            const signing = list.filter((u) => u === 'sign');
            if (signing.length === 0) throw new SyntaxError('generateKey: the usages of a ' + name + ' key pair lack "sign"');
            const [pkcs8, spki] = host.generate(KIND[name]);
            const held = { pkcs8: fromBinary(pkcs8), spki: fromBinary(spki) };
            return {
              privateKey: newKey('private', extractable, keyAlgorithm(name), signing, held),
              publicKey: newKey('public', true, keyAlgorithm(name), list.filter((u) => u === 'verify'), { spki: held.spki }),
            };
          });

          function aesGcm(encrypt, algorithm, key, data) {
            const where = encrypt ? 'encrypt' : 'decrypt';
            if (nameOf(algorithm, where) !== 'AES-GCM') {
              throw domError('NotSupportedError', where + ': only AES-GCM is supported');
            }
            const m = keyOf(key, 'AES-GCM', 'secret', where, where);
            const iv = bytesOf(algorithm.iv, where + ': the iv');
            if (iv.length === 0) throw domError('OperationError', where + ': the iv is empty');
            const tagLength = algorithm.tagLength ?? 128;
            if (![32, 64, 96, 104, 112, 120, 128].includes(tagLength)) {
              throw domError('OperationError', where + ': tagLength must be 32, 64, 96 or 104 to 128 by 8, got ' + tagLength);
            }
            const aad = algorithm.additionalData === undefined ? new Uint8Array(0)
                : bytesOf(algorithm.additionalData, where + ': the additionalData');
            const bytes = bytesOf(data, where + ': the data');
            if (!encrypt && bytes.length < tagLength / 8) {
              throw domError('OperationError', 'decrypt: the data is shorter than its tag');
            }
            const out = host.aesGcm(encrypt, toBinary(m.secret), toBinary(iv), toBinary(bytes), toBinary(aad), tagLength);
            if (out === null) {
              throw domError('OperationError', 'decrypt: the tag does not match: wrong key, iv, additionalData or data');
            }
            return fromBinary(out).buffer;
          }
          subtle.encrypt = promised((algorithm, key, data) => aesGcm(true, algorithm, key, data));
          subtle.decrypt = promised((algorithm, key, data) => aesGcm(false, algorithm, key, data));

          const hashFor = (name, algorithm, where) => (name === 'ECDSA' ? hashName(algorithm.hash, where) : '');
          subtle.sign = promised((algorithm, key, data) => {
            const name = nameOf(algorithm, 'sign');
            if (name === 'HMAC') return base.sign(algorithm, key, data);
            if (name === 'AES-GCM') throw domError('NotSupportedError', 'sign: AES-GCM does not sign');
            const m = keyOf(key, name, 'private', 'sign', 'sign');
            const hash = hashFor(name, algorithm, 'sign');
            return fromBinary(host.sign(KIND[name], toBinary(m.pkcs8), toBinary(bytesOf(data, 'sign: the data')), hash)).buffer;
          });
          subtle.verify = promised((algorithm, key, signature, data) => {
            const name = nameOf(algorithm, 'verify');
            if (name === 'HMAC') return base.verify(algorithm, key, signature, data);
            if (name === 'AES-GCM') throw domError('NotSupportedError', 'verify: AES-GCM does not sign');
            const m = keyOf(key, name, 'public', 'verify', 'verify');
            const hash = hashFor(name, algorithm, 'verify');
            return host.verify(KIND[name], toBinary(m.spki), toBinary(bytesOf(signature, 'verify: the signature')),
                toBinary(bytesOf(data, 'verify: the data')), hash);
          });
        };
      })
      """;

  private SubtleCryptoPrelude() {}

  /** The function that {@link CryptoPrelude}'s source calls with its internals to add these algorithms. */
  static Value extension(Context context) {
    Source source = Source.newBuilder("js", SOURCE, "bridge-subtle.js").internal(true).buildLiteral();
    return context.eval(source).execute(SubtleCryptoHost.proxy());
  }
}
