package dev.bridge.script;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * The web's {@code crypto} global on the JDK: {@code randomUUID()}, {@code getRandomValues()} and
 * {@code crypto.subtle}'s {@code digest} (SHA-1/256/384/512), and HMAC keys ({@code importKey("raw")},
 * {@code exportKey("raw")}, {@code sign}, {@code verify}). Installed by the {@link Prelude} on first use.
 *
 * <p>Choices: the subtle methods return promises, as on the web, but compute on the JavaScript thread
 * before returning: a digest or an HMAC of what a handler holds takes microseconds, far less than a
 * hand-off to another thread would. Bytes cross to the host as Latin-1 strings (one char per byte), which
 * both sides convert without copying element by element through the polyglot layer. Randomness is the
 * JDK's {@link SecureRandom}.
 */
final class CryptoPrelude {
  private static final String SOURCE = """
      (function (host, describe, extendSubtle) {
        'use strict';
        const G = globalThis;
        function domError(name, message) {
          const e = new Error(message);
          e.name = name;
          return e;
        }
        const toBinary = (bytes) => {
          let s = '';
          for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
          return s;
        };
        const fromBinary = (s) => {
          const out = new Uint8Array(s.length);
          for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
          return out;
        };
        function bytesOf(data, what) {
          if (data instanceof ArrayBuffer) return new Uint8Array(data);
          if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
          throw new TypeError(what + ' must be an ArrayBuffer or an ArrayBuffer view, got ' + describe(data));
        }
        const HASHES = { 'SHA-1': 'SHA-1', 'SHA-256': 'SHA-256', 'SHA-384': 'SHA-384', 'SHA-512': 'SHA-512' };
        function algorithmName(algorithm) {
          const name = typeof algorithm === 'string' ? algorithm
              : (algorithm !== null && typeof algorithm === 'object' ? algorithm.name : undefined);
          if (typeof name !== 'string') {
            throw new TypeError('the algorithm must be a string or an object with a name, got ' + describe(algorithm));
          }
          return name.toUpperCase();
        }
        function hashName(algorithm, where) {
          const name = algorithmName(algorithm);
          if (!HASHES[name]) throw domError('NotSupportedError', where + ': unsupported hash ' + name
              + ' (supported: ' + Object.keys(HASHES).join(', ') + ')');
          return name;
        }
        // Each subtle method reports its errors as a rejection, as the web does.
        const promised = (fn) => function (...args) {
          try { return Promise.resolve(fn.apply(this, args)); } catch (e) { return Promise.reject(e); }
        };
        // What each key holds (HMAC: its bytes; the others' see SubtleCryptoPrelude), out of the script's reach.
        const keyBytes = new WeakMap();
        class CryptoKey {
          constructor(key) {
            if (key !== keyBytes) throw new TypeError('Illegal constructor');
          }
        }
        Object.defineProperty(CryptoKey.prototype, Symbol.toStringTag, { value: 'CryptoKey', configurable: true });
        function newKey(type, extractable, algorithm, usages, material) {
          const key = new CryptoKey(keyBytes);
          Object.defineProperties(key, {
            type: { value: type, enumerable: true },
            extractable: { value: !!extractable, enumerable: true },
            algorithm: { value: Object.freeze(algorithm), enumerable: true },
            usages: { value: Object.freeze(usages), enumerable: true },
          });
          keyBytes.set(key, material);
          return key;
        }
        function hmacKey(key, usage, where) {
          if (!(key instanceof CryptoKey) || !keyBytes.has(key)) {
            throw new TypeError(where + ': the key must be a CryptoKey, got ' + describe(key));
          }
          if (key.algorithm.name !== 'HMAC') {
            throw domError('InvalidAccessError', where + ': the key is for ' + key.algorithm.name + ', not HMAC');
          }
          if (!key.usages.includes(usage)) {
            throw domError('InvalidAccessError', where + ': the key\\'s usages do not include "' + usage + '"');
          }
          return keyBytes.get(key);
        }
        const subtle = {
          digest: promised((algorithm, data) => {
            const name = hashName(algorithm, 'digest');
            return fromBinary(host.digest(name, toBinary(bytesOf(data, 'digest: the data')))).buffer;
          }),
          importKey: promised((format, keyData, algorithm, extractable, usages) => {
            if (format !== 'raw') throw domError('NotSupportedError', 'importKey: only the "raw" format is supported, got ' + String(format));
            const name = algorithmName(algorithm);
            if (name !== 'HMAC') throw domError('NotSupportedError', 'importKey: only HMAC keys are supported, got ' + name);
            const hash = hashName(algorithm.hash, 'importKey');
            const bytes = bytesOf(keyData, 'importKey: the key data').slice();
            if (bytes.length === 0) throw domError('DataError', 'importKey: the key is empty');
            const list = [...(usages ?? [])].map(String);
            const bad = list.find((u) => u !== 'sign' && u !== 'verify');
            if (bad !== undefined) throw new SyntaxError('importKey: an HMAC key cannot be used to ' + bad);
            return newKey('secret', extractable, { name: 'HMAC', hash: Object.freeze({ name: hash }),
                length: algorithm.length ?? bytes.length * 8 }, list, bytes);
          }),
          exportKey: promised((format, key) => {
            if (format !== 'raw') throw domError('NotSupportedError', 'exportKey: only the "raw" format is supported');
            if (!(key instanceof CryptoKey) || !keyBytes.has(key)) throw new TypeError('exportKey: the key must be a CryptoKey');
            if (!key.extractable) throw domError('InvalidAccessError', 'exportKey: the key is not extractable');
            return keyBytes.get(key).slice().buffer;
          }),
          sign: promised((algorithm, key, data) => {
            if (algorithmName(algorithm) !== 'HMAC') throw domError('NotSupportedError', 'sign: only HMAC is supported');
            const k = hmacKey(key, 'sign', 'sign');
            return fromBinary(host.hmac(key.algorithm.hash.name, toBinary(k), toBinary(bytesOf(data, 'sign: the data')))).buffer;
          }),
          verify: promised((algorithm, key, signature, data) => {
            if (algorithmName(algorithm) !== 'HMAC') throw domError('NotSupportedError', 'verify: only HMAC is supported');
            const k = hmacKey(key, 'verify', 'verify');
            const expected = fromBinary(host.hmac(key.algorithm.hash.name, toBinary(k), toBinary(bytesOf(data, 'verify: the data'))));
            const given = bytesOf(signature, 'verify: the signature');
            // In constant time for equal lengths, so that a caller cannot learn a signature byte by byte.
            let diff = expected.length ^ given.length;
            for (let i = 0; i < expected.length; i++) diff |= expected[i] ^ (given[i] ?? 0);
            return diff === 0;
          }),
        };
        // AES-GCM, ECDSA and Ed25519 (and generated HMAC keys), dispatching to the methods above for HMAC.
        extendSubtle({ subtle, newKey, material: (key) => keyBytes.get(key), promised, algorithmName, hashName,
            bytesOf, domError, toBinary, fromBinary, describe, random: (n) => fromBinary(host.random(n)) });
        const INTEGER_ARRAYS = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array,
            Uint32Array, BigInt64Array, BigUint64Array];
        const crypto = Object.freeze({
          subtle: Object.freeze(subtle),
          getRandomValues(array) {
            if (!INTEGER_ARRAYS.some((C) => array instanceof C)) {
              throw domError('TypeMismatchError', 'getRandomValues: the argument must be an integer typed array, got '
                  + describe(array));
            }
            if (array.byteLength > 65536) {
              throw domError('QuotaExceededError', 'getRandomValues: ' + array.byteLength
                  + ' bytes asked for, more than the 65536 allowed');
            }
            new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(fromBinary(host.random(array.byteLength)));
            return array;
          },
          randomUUID() {
            const b = fromBinary(host.random(16));
            b[6] = (b[6] & 0x0f) | 0x40;
            b[8] = (b[8] & 0x3f) | 0x80;
            const h = Array.from(b, (x) => (x < 16 ? '0' : '') + x.toString(16)).join('');
            return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
          },
        });
        Object.defineProperty(G, 'crypto', { value: crypto, writable: true, configurable: true, enumerable: false });
        Object.defineProperty(G, 'CryptoKey', { value: CryptoKey, writable: true, configurable: true, enumerable: false });
      })
      """;

  private static final SecureRandom RANDOM = new SecureRandom();

  private CryptoPrelude() {}

  /** Defines {@code crypto} and {@code CryptoKey}; {@code describe} names a value's type in errors. */
  static void install(Context context, org.graalvm.polyglot.Value describe) {
    Source source = Source.newBuilder("js", SOURCE, "bridge-crypto.js").internal(true).buildLiteral();
    ProxyExecutable digest = args -> binary(digestOf(args[0].asString(), bytes(args[1].asString())));
    ProxyExecutable hmac = args -> binary(hmacOf(args[0].asString(), bytes(args[1].asString()),
        bytes(args[2].asString())));
    ProxyExecutable random = args -> {
      byte[] out = new byte[args[0].asInt()];
      RANDOM.nextBytes(out);
      return binary(out);
    };
    context.eval(source).execute(ProxyObject.fromMap(Map.of("digest", digest, "hmac", hmac, "random", random)),
        describe, SubtleCryptoPrelude.extension(context));
  }

  static byte[] digestOf(String hash, byte[] data) {
    try {
      return MessageDigest.getInstance(hash).digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(hash + ": " + e.getMessage(), e);
    }
  }

  static byte[] hmacOf(String hash, byte[] key, byte[] data) {
    String name = "Hmac" + hash.replace("-", "");
    try {
      Mac mac = Mac.getInstance(name);
      mac.init(new SecretKeySpec(key, name));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
  }

  private static byte[] bytes(String binary) {
    return binary.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String binary(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
