package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code crypto}: random values and UUIDs, {@code subtle.digest}, HMAC keys, against known vectors. */
class CryptoGlobalTest {
  @RegisterExtension final ScriptsUnderTest scripts = new ScriptsUnderTest();

  /** The string an async handler body returns. */
  private String answer(String asyncBody) throws Exception {
    ScriptRuntime runtime = scripts.load("""
        const hex = (b) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
        const utf8 = (s) => new TextEncoder().encode(s);
        const fail = async (p) => { try { await p; return 'resolved'; } catch (e) { return e.name + ': ' + e.message; } };
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

  @Test
  void digestsOfAbc() throws Exception {
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        + " a9993e364706816aba3e25717850c26c9cd0d89d 48 64 true",
        answer("const d = (a) => crypto.subtle.digest(a, utf8('abc'));"
            + " return [hex(await d('SHA-256')), hex(await d({ name: 'sha-1' })), (await d('SHA-384')).byteLength,"
            + " (await d('SHA-512')).byteLength, (await d('SHA-256')) instanceof ArrayBuffer].join(' ');"));
  }

  @Test
  void hmacSha256Rfc4231() throws Exception {
    assertEquals("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        + " 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843 true false secret HMAC SHA-256 160",
        answer("const k1 = await crypto.subtle.importKey('raw', new Uint8Array(20).fill(0x0b),"
            + " { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);"
            + " const s1 = await crypto.subtle.sign('HMAC', k1, utf8('Hi There'));"
            + " const k2 = await crypto.subtle.importKey('raw', utf8('Jefe'), { name: 'HMAC', hash: { name: 'SHA-256' } },"
            + " false, ['sign']);"
            + " const s2 = await crypto.subtle.sign({ name: 'HMAC' }, k2, utf8('what do ya want for nothing?'));"
            + " const ok = await crypto.subtle.verify('HMAC', k1, s1, utf8('Hi There'));"
            + " const bad = await crypto.subtle.verify('HMAC', k1, s1, utf8('Hi there'));"
            + " return [hex(s1), hex(s2), ok, bad, k1.type, k1.algorithm.name, k1.algorithm.hash.name,"
            + " k1.algorithm.length].join(' ');"));
  }

  @Test
  void errorsReject() throws Exception {
    assertEquals("NotSupportedError: digest: unsupported hash MD5 (supported: SHA-1, SHA-256, SHA-384, SHA-512)"
        + " | TypeError: digest: the data must be an ArrayBuffer or an ArrayBuffer view, got string"
        + " | InvalidAccessError: verify: the key's usages do not include \"verify\""
        + " | InvalidAccessError: exportKey: the key is not extractable"
        + " | NotSupportedError: importKey: only the \"raw\" format is supported, got jwk",
        answer("const k = await crypto.subtle.importKey('raw', utf8('k'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);"
            + " return [await fail(crypto.subtle.digest('MD5', utf8('x'))), await fail(crypto.subtle.digest('SHA-256', 'x')),"
            + " await fail(crypto.subtle.verify('HMAC', k, new Uint8Array(32), utf8('x'))),"
            + " await fail(crypto.subtle.exportKey('raw', k)),"
            + " await fail(crypto.subtle.importKey('jwk', {}, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']))]"
            + ".join(' | ');"));
  }

  @Test
  void randomness() throws Exception {
    String[] parts = answer("const a = new Uint32Array(8); const same = crypto.getRandomValues(a) === a;"
        + " let big; try { crypto.getRandomValues(new Uint8Array(65537)); } catch (e) { big = e.name; }"
        + " let floats; try { crypto.getRandomValues(new Float64Array(2)); } catch (e) { floats = e.name; }"
        + " return [crypto.randomUUID(), crypto.randomUUID(), same, a.some((x) => x !== 0), big, floats].join(' ');")
        .split(" ");
    String uuid = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
    assertTrue(parts[0].matches(uuid), parts[0]);
    assertTrue(parts[1].matches(uuid), parts[1]);
    assertTrue(!parts[0].equals(parts[1]));
    assertEquals("true true QuotaExceededError TypeMismatchError", parts[2] + " " + parts[3] + " " + parts[4] + " " + parts[5]);
  }
}
