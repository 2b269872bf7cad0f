package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code crypto.subtle} with AES-GCM, ECDSA P-256 and Ed25519 keys: known vectors (the GCM specification's test
 * cases, RFC 8032, RFC 6979), round trips through every key format, and the web's errors.
 */
class WebCryptoKeysTest {
  @RegisterExtension final ScriptsUnderTest scripts = new ScriptsUnderTest();

  /** The string an async handler body returns. */
  private String answer(String asyncBody) throws Exception {
    ScriptRuntime runtime = scripts.load("""
        const hex = (b) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
        const unhex = (h) => new Uint8Array(h.match(/../g)?.map((x) => parseInt(x, 16)) ?? []);
        const utf8 = (s) => new TextEncoder().encode(s);
        const b64url = (b) => btoa(String.fromCharCode(...b)).replace(/[+]/g, '-').replace(/[/]/g, '_').replace(/=+$/, '');
        const unb64url = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (ch) => ch.charCodeAt(0));
        const fail = async (p) => { try { await p; return 'resolved'; } catch (e) { return e.name + ': ' + e.message; } };
        const subtle = crypto.subtle;
        export async function Get() {
          return { value: String(await (async () => { %s })()) };
        }
        """.formatted(asyncBody), ScriptOptions.defaults());
    try {
      return new String(value(call(runtime, TestProtos.GET, get("k"))), StandardCharsets.UTF_8);
    } finally {
      runtime.close();
    }
  }

  private static final String GCM_PLAIN = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809"
      + "532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
  private static final String GCM_CIPHER = "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b254"
      + "66931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985";

  @Test
  void aesGcmAgainstTheSpecificationsTestCases3And4() throws Exception {
    // McGrew and Viega, "The Galois/Counter Mode of Operation", test cases 3 (no AAD) and 4 (AAD, 60 bytes).
    assertEquals(GCM_CIPHER + "4d5c2af327cd64a62cf35abd2ba6fab4 "
        + GCM_CIPHER.substring(0, 120) + "5bc94fbc3221a5db94fae95ae7121a47 " + GCM_PLAIN + " true"
        + " OperationError: decrypt: the tag does not match: wrong key, iv, additionalData or data"
        + " secret AES-GCM 128 encrypt,decrypt false",
        answer("""
            const key = await subtle.importKey('raw', unhex('feffe9928665731c6d6a8f9467308308'), 'AES-GCM', false,
                ['encrypt', 'decrypt']);
            const iv = unhex('cafebabefacedbaddecaf888');
            const c3 = await subtle.encrypt({ name: 'AES-GCM', iv }, key, unhex('%1$s'));
            const aad = unhex('feedfacedeadbeeffeedfacedeadbeefabaddad2');
            const c4 = await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, key,
                unhex('%1$s'.slice(0, 120)));
            const p3 = await subtle.decrypt({ name: 'AES-GCM', iv }, key, c3);
            const p4 = await subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, c4);
            const tampered = new Uint8Array(c3).slice();
            tampered[0] ^= 1;
            return [hex(c3), hex(c4), hex(p3), hex(p4) === '%1$s'.slice(0, 120),
                await fail(subtle.decrypt({ name: 'AES-GCM', iv }, key, tampered)),
                key.type, key.algorithm.name, key.algorithm.length, key.usages, key.extractable].join(' ');
            """.formatted(GCM_PLAIN)));
  }

  @Test
  void aesGcmGeneratedKeysRoundTripThroughRawAndJwk() throws Exception {
    assertEquals("oct A256GCM 43 encrypt,decrypt hello hello 32 96",
        answer("""
            const key = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
            const jwk = await subtle.exportKey('jwk', key);
            const again = await subtle.importKey('jwk', jwk, { name: 'AES-GCM' }, false, ['decrypt']);
            const raw = await subtle.importKey('raw', await subtle.exportKey('raw', key), 'AES-GCM', false, ['decrypt']);
            const iv = crypto.getRandomValues(new Uint8Array(12));
            const sealed = await subtle.encrypt({ name: 'AES-GCM', iv, tagLength: 96 }, key, utf8('hello'));
            const open = (k) => subtle.decrypt({ name: 'AES-GCM', iv, tagLength: 96 }, k, sealed)
                .then((b) => new TextDecoder().decode(b));
            return [jwk.kty, jwk.alg, jwk.k.length, jwk.key_ops, await open(again), await open(raw),
                (await subtle.exportKey('raw', key)).byteLength, (sealed.byteLength - 5) * 8].join(' ');
            """));
  }

  @Test
  void ed25519AgainstRfc8032() throws Exception {
    // RFC 8032 section 7.1, TEST 1 (empty message) and TEST 2 (one byte, 0x72).
    assertEquals("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5"
        + "f0595bbe24655141438e7a100b 92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e"
        + "458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00 true true false true d75a980182b10ab7d54bfed3c964073a0ee172f3"
        + "daa62325af021a68f707511a true",
        answer("""
            const vector = async (secret, pub, message) => {
              const key = await subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', d: b64url(unhex(secret)),
                  x: b64url(unhex(pub)) }, 'Ed25519', true, ['sign']);
              return [key, hex(await subtle.sign('Ed25519', key, unhex(message)))];
            };
            const pub1 = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
            const [key1, s1] = await vector('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', pub1, '');
            const [, s2] = await vector('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
                '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c', '72');
            const verifier = await subtle.importKey('raw', unhex(pub1), { name: 'Ed25519' }, true, ['verify']);
            const fromSpki = await subtle.importKey('spki', await subtle.exportKey('spki', verifier), 'Ed25519', true, ['verify']);
            // The same key as PKCS #8: Ed25519 is deterministic, so the signature is the same.
            const pkcs8 = await subtle.importKey('pkcs8', await subtle.exportKey('pkcs8', key1), 'Ed25519', false, ['sign']);
            return [s1, s2, await subtle.verify('Ed25519', verifier, unhex(s1), new Uint8Array(0)),
                await subtle.verify('Ed25519', fromSpki, unhex(s1), new Uint8Array(0)),
                await subtle.verify('Ed25519', verifier, unhex(s1), unhex('00')),
                hex(await subtle.sign('Ed25519', pkcs8, new Uint8Array(0))) === s1,
                hex(await subtle.exportKey('raw', verifier)),
                (await subtle.exportKey('jwk', key1)).d === b64url(unhex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'))].join(' ');
            """));
  }

  @Test
  void ecdsaP256AgainstRfc6979() throws Exception {
    // RFC 6979 A.2.5: P-256, SHA-256, message "sample"; ECDSA signatures are random, so signing is checked by verifying.
    assertEquals("true false true true public ECDSA P-256 verify 64 c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721",
        answer("""
            const x = '60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6';
            const y = '7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299';
            const d = 'c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721';
            const signature = unhex('efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716'
                + 'f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8');
            const algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
            const sha256 = { name: 'ECDSA', hash: 'SHA-256' };
            const pub = await subtle.importKey('raw', unhex('04' + x + y), algorithm, true, ['verify']);
            const priv = await subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x: b64url(unhex(x)),
                y: b64url(unhex(y)), d: b64url(unhex(d)) }, algorithm, true, ['sign']);
            const mine = await subtle.sign(sha256, priv, utf8('sample'));
            const viaSpki = await subtle.importKey('spki', await subtle.exportKey('spki', pub), algorithm, true, ['verify']);
            return [await subtle.verify(sha256, pub, signature, utf8('sample')),
                await subtle.verify(sha256, pub, signature, utf8('samplf')),
                await subtle.verify(sha256, pub, mine, utf8('sample')),
                await subtle.verify({ name: 'ECDSA', hash: { name: 'SHA-256' } }, viaSpki, mine, utf8('sample')),
                pub.type, pub.algorithm.name, pub.algorithm.namedCurve, pub.usages, mine.byteLength,
                hex(unb64url((await subtle.exportKey('jwk', priv)).d))].join(' ');
            """));
  }

  @Test
  void generatedPairsSignVerifyAndTravelThroughEveryFormat() throws Exception {
    assertEquals("ECDSA true true true 65 sign verify true|Ed25519 true true true 32 sign verify true",
        answer("""
            const out = [];
            for (const [algorithm, params] of [[{ name: 'ECDSA', namedCurve: 'P-256' }, { name: 'ECDSA', hash: 'SHA-384' }],
                [{ name: 'Ed25519' }, { name: 'Ed25519' }]]) {
              const { publicKey, privateKey } = await subtle.generateKey(algorithm, true, ['sign', 'verify']);
              const data = utf8('payload');
              const signature = await subtle.sign(params, privateKey, data);
              const spki = await subtle.importKey('spki', await subtle.exportKey('spki', publicKey), algorithm, true, ['verify']);
              const jwkPublic = await subtle.importKey('jwk', await subtle.exportKey('jwk', publicKey), algorithm, true, ['verify']);
              const pkcs8 = await subtle.importKey('pkcs8', await subtle.exportKey('pkcs8', privateKey), algorithm, true, ['sign']);
              const jwkPrivate = await subtle.importKey('jwk', await subtle.exportKey('jwk', privateKey), algorithm, true, ['sign']);
              out.push([algorithm.name, await subtle.verify(params, spki, signature, data),
                  await subtle.verify(params, jwkPublic, await subtle.sign(params, pkcs8, data), data),
                  await subtle.verify(params, publicKey, await subtle.sign(params, jwkPrivate, data), data),
                  (await subtle.exportKey('raw', publicKey)).byteLength, privateKey.usages, publicKey.usages,
                  publicKey.extractable].join(' '));
            }
            return out.join('|');
            """));
  }

  @Test
  void theWebsErrors() throws Exception {
    assertEquals("DataError: importKey: an AES key has 16, 24 or 32 bytes, got 10"
        + "|NotSupportedError: generateKey: ECDSA keys are on P-256 only, got namedCurve P-384"
        + "|InvalidAccessError: sign: a public key cannot sign"
        + "|NotSupportedError: exportKey: a private key imported as pkcs8 does not know its public key, which a jwk holds:"
        + " export it as \"pkcs8\""
        + "|DataError: importKey: not an Ed25519 key"
        + "|SyntaxError: a public Ed25519 key cannot be used to sign"
        + "|NotSupportedError: encrypt: unsupported algorithm AES-CBC (supported: HMAC, AES-GCM, ECDSA, Ed25519)"
        + "|InvalidAccessError: encrypt: the key's usages do not include \"encrypt\"",
        answer("""
            const { publicKey, privateKey } = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
            const pkcs8 = await subtle.importKey('pkcs8', await subtle.exportKey('pkcs8', privateKey),
                { name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']);
            const aes = await subtle.importKey('raw', new Uint8Array(16), 'AES-GCM', false, ['decrypt']);
            return [await fail(subtle.importKey('raw', new Uint8Array(10), 'AES-GCM', false, ['encrypt'])),
                await fail(subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, ['sign'])),
                await fail(subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, publicKey, new Uint8Array(1))),
                await fail(subtle.exportKey('jwk', pkcs8)),
                await fail(subtle.importKey('raw', new Uint8Array(31), 'Ed25519', true, ['verify'])),
                await fail(subtle.importKey('raw', new Uint8Array(32), 'Ed25519', true, ['sign'])),
                await fail(subtle.encrypt({ name: 'AES-CBC', iv: new Uint8Array(16) }, aes, new Uint8Array(1))),
                await fail(subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(12) }, aes, new Uint8Array(1)))].join('|');
            """));
  }
}
