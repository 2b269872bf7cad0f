package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.get;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bridge.typings.Typings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the generated declarations put in {@code declare global} exists in the runtime: every global variable and
 * function, and every required member of each interface, on a value the runtime makes of it. tools/typings-check.sh
 * proves the other direction (that each global is declared) with tsc.
 */
class DeclaredGlobalsExistTest {
  @RegisterExtension final ScriptsUnderTest scripts = new ScriptsUnderTest();

  /** For each interface of the global block: a JavaScript expression (awaited) whose value should have its members. */
  private static final Map<String, String> SAMPLES = samples();
  /** Interfaces of what a script passes in (options, literal key sets): nothing in the runtime has to carry them. */
  private static final Set<String> PASSED_IN = Set.of("BrokerCallOptions", "BrokerSignal", "RequestInit", "ResponseInit",
      "RpcStatusCodes", "DigestAlgorithms", "BufferEncodings", "KeyUsages", "HmacImportParams", "EcKeyParams",
      "EcdsaParams", "AesKeyParams", "AesGcmParams", "JsonWebKey");

  private static final Pattern GLOBAL = Pattern.compile("^  (?:var|function) ([A-Za-z_$][\\w$]*)", Pattern.MULTILINE);
  private static final Pattern INTERFACE = Pattern.compile("^  interface ([A-Za-z_$][\\w$]*)[^\\n]*\\{\\n(.*?)^  }",
      Pattern.MULTILINE | Pattern.DOTALL);
  /** A required member, at the interface's own indentation (continuation lines are deeper). */
  private static final Pattern MEMBER = Pattern.compile("^    (?:readonly )?(\\[Symbol\\.\\w+]|[A-Za-z_$][\\w$]*)([?]?)[(:<]",
      Pattern.MULTILINE);

  private static Map<String, String> samples() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("PluginFs", "fs");
    s.put("PluginBridge", "bridge");
    s.put("PluginBroker", "broker");
    s.put("AbortController", "new AbortController()");
    s.put("AbortControllerConstructor", "AbortController");
    s.put("AbortSignal", "new AbortController().signal");
    s.put("AbortSignalConstructor", "AbortSignal");
    s.put("AbortEvent", "(() => { let e; const c = new AbortController(); c.signal.onabort = (x) => { e = x; }; c.abort();"
        + " return e; })()");
    s.put("Body", "new Response('a')");
    s.put("ReadableStream", "new Response('a').body");
    s.put("ReadableStreamReader", "new Response('a').body.getReader()");
    s.put("Headers", "new Headers()");
    s.put("HeadersConstructor", "Headers");
    s.put("Request", "new Request('http://example.com/')");
    s.put("RequestConstructor", "Request");
    s.put("Response", "new Response('a')");
    s.put("ResponseConstructor", "Response");
    s.put("URL", "new URL('http://example.com/')");
    s.put("URLConstructor", "URL");
    s.put("URLSearchParams", "new URLSearchParams()");
    s.put("URLSearchParamsConstructor", "URLSearchParams");
    s.put("Performance", "performance");
    s.put("Crypto", "crypto");
    s.put("SubtleCrypto", "crypto.subtle");
    s.put("CryptoKey", "crypto.subtle.importKey('raw', new Uint8Array(4), { name: 'HMAC', hash: 'SHA-256' }, true,"
        + " ['sign'])");
    s.put("CryptoKeyConstructor", "CryptoKey");
    s.put("CryptoKeyPair", "crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])");
    s.put("PluginProcess", "process");
    s.put("Buffer", "Buffer.alloc(1)");
    s.put("BufferConstructor", "Buffer");
    s.put("RpcError", "new RpcError('NOT_FOUND', 'x')");
    s.put("RpcErrorConstructor", "RpcError");
    s.put("Console", "console");
    s.put("TextEncoder", "new TextEncoder()");
    s.put("TextEncoderConstructor", "TextEncoder");
    s.put("TextDecoder", "new TextDecoder()");
    s.put("TextDecoderConstructor", "TextDecoder");
    s.put("Timeout", "(() => { const t = setTimeout(() => {}, 0); clearTimeout(t); return t; })()");
    s.put("Immediate", "(() => { const t = setImmediate(() => {}); clearImmediate(t); return t; })()");
    return s;
  }

  @Test
  void everyDeclaredGlobalAndMemberExists() throws Exception {
    String text = Typings.generate(List.of(TestProtos.FILE), TestProtos.FILE.getServices(), "./plugin").text();
    String block = text.substring(text.indexOf("declare global {"));
    Set<String> globals = new TreeSet<>();
    Matcher g = GLOBAL.matcher(block);
    while (g.find()) {
      globals.add(g.group(1));
    }
    StringBuilder checks = new StringBuilder();
    List<String> unchecked = new ArrayList<>();
    Matcher i = INTERFACE.matcher(block);
    int interfaces = 0;
    while (i.find()) {
      String name = i.group(1);
      if (PASSED_IN.contains(name)) {
        continue;
      }
      String sample = SAMPLES.get(name);
      if (sample == null) {
        unchecked.add(name);
        continue;
      }
      interfaces++;
      List<String> members = new ArrayList<>();
      Matcher m = MEMBER.matcher(i.group(2));
      while (m.find()) {
        if (m.group(2).isEmpty() && !m.group(1).equals("new")) {
          members.add(m.group(1));
        }
      }
      checks.append("  check('").append(name).append("', await (").append(sample).append("), [");
      for (String member : members) {
        checks.append(member.startsWith("[Symbol.") ? member.substring(1, member.length() - 1) : "'" + member + "'")
            .append(", ");
      }
      checks.append("]);\n");
    }
    assertEquals(List.of(), unchecked, "interfaces of the global block this test has no sample of");
    assertTrue(interfaces > 30 && globals.contains("fetch") && globals.contains("Buffer"), globals.toString());

    StringBuilder script = new StringBuilder("export async function Get() {\n  const missing = [];\n");
    script.append("  const check = (name, value, members) => { for (const m of members) if (!(m in Object(value)))"
        + " missing.push(name + '.' + String(m)); };\n");
    for (String global : globals) {
      script.append("  if (typeof globalThis['").append(global).append("'] === 'undefined') missing.push('")
          .append(global).append("');\n");
    }
    script.append(checks).append("  return { value: missing.join(' ') };\n}\n");
    ScriptRuntime runtime = scripts.load(script.toString(), ScriptOptions.defaults());
    assertEquals("", new String(value(call(runtime, TestProtos.GET, get("k"))), StandardCharsets.UTF_8));
  }
}
