package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code URL}, {@code URLSearchParams}, {@code atob}/{@code btoa}, {@code structuredClone}, {@code performance}. */
class WebGlobalsTest {
  @RegisterExtension final ScriptsUnderTest scripts = new ScriptsUnderTest();

  /** Each expression's String, joined by " | ". */
  private String answer(String... expressions) throws Exception {
    StringBuilder body = new StringBuilder();
    for (String e : expressions) {
      body.append("  out.push((() => { try { return String(").append(e)
          .append("); } catch (e) { return e.name + ': ' + e.message; } })());\n");
    }
    ScriptRuntime runtime = scripts.load("export function Get() {\n  const out = [];\n" + body
        + "  return { value: out.join(' | ') };\n}\n", ScriptOptions.defaults());
    try {
      return new String(value(call(runtime, TestProtos.GET, get("k"))), StandardCharsets.UTF_8);
    } finally {
      runtime.close();
    }
  }

  @Test
  void base64() throws Exception {
    assertEquals("aGVsbG8= | hello | YQ== | YWI= | a | ab | /w== | 255 | InvalidCharacterError: btoa: the string has a"
        + " character outside Latin-1 | InvalidCharacterError: atob: the string to be decoded is not correctly"
        + " encoded | hello | function function",
        answer("btoa('hello')", "atob('aGVsbG8=')", "btoa('a')", "btoa('ab')", "atob('YQ==')", "atob('YWI')",
            "btoa('\\xff')", "atob('/w==').charCodeAt(0)", "btoa('\\u20ac')", "atob('a')",
            "atob(' aGVs\\nbG8 ')", "typeof atob + ' ' + typeof btoa"));
  }

  @Test
  void urlParts() throws Exception {
    assertEquals("https://user:pw@example.com:8443/a/c?x=1&y=two#frag | https: | user | pw | example.com:8443"
        + " | example.com | 8443 | /a/c | ?x=1&y=two | #frag | https://example.com:8443 | two",
        answer("new URL('HTTPS://user:pw@Example.COM:8443/a/b/../c?x=1&y=two#frag').href",
            "new URL('https://a.b/').protocol", "new URL('https://user:pw@a.b/').username",
            "new URL('https://user:pw@a.b/').password", "new URL('https://example.com:8443/').host",
            "new URL('https://example.com:8443/').hostname", "new URL('https://example.com:8443/').port",
            "new URL('https://h/a/./b/../c').pathname", "new URL('https://h/?x=1&y=two').search",
            "new URL('https://h/#frag').hash", "new URL('https://example.com:8443/x').origin",
            "new URL('https://h/?x=1&y=two').searchParams.get('y')"));
  }

  @Test
  void urlNormalizingAndRelatives() throws Exception {
    assertEquals("http://example.com/ | https://h/a%20b?q=a%20b#f%20g | https://h/caf%C3%A9 | https://h/a/d"
        + " | https://h/d | https://h/a/b?z | https://h/a/b?q#z | https://other/x | http://127.0.0.1:8080/"
        + " | mailto:someone@example.com | null | file:///etc/hosts file:///etc/hosts",
        answer("new URL('http://example.com:80').href", "new URL('https://h/a b?q=a b#f g').href",
            "new URL('https://h/café').href", "new URL('d', 'https://h/a/b').href",
            "new URL('/d', 'https://h/a/b').href", "new URL('?z', 'https://h/a/b?q').href",
            "new URL('#z', 'https://h/a/b?q').href", "new URL('//other/x', 'https://h/a').href",
            "new URL('http://127.0.0.1:8080').href", "new URL('mailto:someone@example.com').href",
            "new URL('mailto:x').origin", "new URL('file:///etc/hosts').href + ' ' + new URL('file:/etc/hosts').href"));
  }

  @Test
  void urlErrorsAndSetters() throws Exception {
    assertEquals("TypeError: Invalid URL: /relative (a relative URL without a base) | TypeError: Invalid URL:"
        + " http://h:99999/ (bad port) | TypeError: Invalid URL: https:// (empty host) | false | true | null"
        + " | https://h/p?a=1&b=x+y | https://h/p?q=2#top | https://h:8080/ | \"https://h/\" | ERR_INVALID_URL",
        answer("new URL('/relative')", "new URL('http://h:99999/')", "new URL('https://')",
            "URL.canParse('nope')", "URL.canParse('x', 'https://h/')", "URL.parse('nope')",
            "(() => { const u = new URL('https://h/p?a=1'); u.searchParams.append('b', 'x y'); return u.href; })()",
            "(() => { const u = new URL('https://h/p'); u.search = 'q=2'; u.hash = 'top'; return u.href; })()",
            "(() => { const u = new URL('https://h/'); u.port = '8080'; return u; })()",
            "JSON.stringify(new URL('https://h'))",
            "(() => { try { new URL('x'); } catch (e) { return e.code; } })()"));
  }

  @Test
  void searchParams() throws Exception {
    assertEquals("a=1&b=x+y%26z&c=%C3%A9 | x y&z | é | 1,3 | a=1&a=3 | true false | a=2&b=1&b=0 | 2 | a:1,b:2"
        + " | TypeError: URLSearchParams: each pair must have exactly two items, got 1",
        answer("new URLSearchParams({ a: 1, b: 'x y&z', c: 'é' })", "new URLSearchParams('?b=x+y%26z').get('b')",
            "new URLSearchParams('c=%C3%A9').get('c')", "new URLSearchParams('a=1&b=2&a=3').getAll('a')",
            "(() => { const p = new URLSearchParams('a=1&b=2&a=3'); p.delete('b'); return p; })()",
            "(() => { const p = new URLSearchParams([['a', '1']]); return p.has('a') + ' ' + p.has('a', '2'); })()",
            "(() => { const p = new URLSearchParams('b=1&a=2&b=0'); p.sort(); return p; })()",
            "new URLSearchParams('x=1&y=2').size",
            "[...new URLSearchParams('a=1&b=2')].map(([k, v]) => k + ':' + v).join(',')",
            "new URLSearchParams([['a']])"));
  }

  @Test
  void structuredCloneCopiesDeeply() throws Exception {
    assertEquals("false true true | 2 x | true | true | 1,2,3 | 5 | RangeError boom | DataCloneError: function"
        + " could not be cloned: f() | true",
        answer("(() => { const o = { a: { b: [1, 2] } }; const c = structuredClone(o); c.a.b.push(3);"
                + " return (c.a === o.a) + ' ' + (o.a.b.length === 2) + ' ' + (c.a.b.length === 3); })()",
            "(() => { const m = structuredClone(new Map([['x', new Set([1, 2])]])); return m.get('x').size + ' x'; })()",
            "(() => { const o = { n: 1 }; o.self = o; const c = structuredClone(o); return c.self === c && c !== o; })()",
            "structuredClone(new Date(5)).getTime() === 5",
            "structuredClone(new Uint8Array([1, 2, 3]))", "structuredClone(5)",
            "(() => { const e = structuredClone(new RangeError('boom')); return e.constructor.name + ' ' + e.message; })()",
            "structuredClone({ f() {} })",
            "(() => { const b = new Uint8Array([9]); const c = structuredClone({ x: b, y: b }); return c.x === c.y; })()"));
  }

  @Test
  void performanceNowIsMonotonic() throws Exception {
    assertEquals("number true true",
        answer("(() => { const a = performance.now(); let x = 0; for (let i = 0; i < 1e5; i++) x += i;"
            + " const b = performance.now(); return typeof a + ' ' + (b >= a) + ' ' + (a >= 0 && a < 60000); })()"));
  }
}
