package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code Buffer}: a Uint8Array with Node's common methods and encodings. */
class BufferGlobalTest {
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
  void fromAndToStringInEachEncoding() throws Exception {
    assertEquals("68c3a9 | aMOp | hé | hé | 68656c6c6f | hello | aGVsbG8 | hello | ab | 4 | 1,2,255 | abc | true false"
        + " | 2 | TypeError: Unknown encoding: utf16 (supported: utf8, hex, base64, base64url, latin1, ascii)",
        answer("Buffer.from('hé').toString('hex')", "Buffer.from('hé', 'utf8').toString('base64')",
            "Buffer.from('aMOp', 'base64').toString()", "Buffer.from('68c3a9', 'hex').toString('utf-8')",
            "Buffer.from('hello').toString('hex')", "Buffer.from('aGVsbG8', 'base64url').toString()",
            "Buffer.from('hello').toString('base64url')", "Buffer.from(' aGVs bG8= ', 'base64')",
            "Buffer.from('\\xab', 'latin1').toString('hex')", "Buffer.byteLength('hé') + Buffer.byteLength('a', 'hex') + 1",
            "Array.from(Buffer.from([1, 2, 511]))", "Buffer.from(new TextEncoder().encode('abc').buffer)",
            "Buffer.isBuffer(Buffer.alloc(1)) + ' ' + Buffer.isBuffer(new Uint8Array(1))",
            "Buffer.from('hello', 'utf8').subarray(1, 3).length", "Buffer.from('x', 'utf16')"));
  }

  @Test
  void allocConcatAndCompare() throws Exception {
    assertEquals("0,0,0 | abab | abcdef | abcd | true | true false | 0 -1 | 2 | {\"type\":\"Buffer\",\"data\":[1,2]}"
        + " | 9 | RangeError: The \"size\" argument must be a number from 0 to 2^31. Received number -1 | hi",
        answer("Array.from(Buffer.alloc(3))", "Buffer.alloc(4, 'ab').toString()",
            "Buffer.concat([Buffer.from('abc'), new TextEncoder().encode('def')])",
            "Buffer.concat([Buffer.from('abc'), Buffer.from('def')], 4)", "Buffer.from('a') instanceof Uint8Array",
            "Buffer.from('ab').equals(Buffer.from('ab')) + ' ' + Buffer.from('ab').equals(Buffer.from('ac'))",
            "Buffer.compare(Buffer.from('a'), Buffer.from('a')) + ' ' + Buffer.from('a').compare(Buffer.from('b'))",
            "(() => { const b = Buffer.from('abc'); const s = b.slice(1); s[0] = 0; return b[1] === 0 ? s.length : -1; })()",
            "JSON.stringify(Buffer.from([1, 2]))", "Buffer.from('hi').slice(0, 1).toString() === 'h' ? 9 : 0",
            "Buffer.alloc(-1)", "(() => { const b = Buffer.alloc(2); b.write('hi'); return b; })()"));
  }
}
