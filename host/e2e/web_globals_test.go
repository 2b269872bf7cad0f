package e2e

// The web platform's globals and fs's additions (issue #14) through a real
// go-plugin host and through `bridgejs call`: one test script computes with
// each, and Go checks the answers against its own standard library.

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// webGlobalsScript's Get answers, as JSON, what the globals computed.
const webGlobalsScript = `
const hex = (buffer) => Buffer.from(buffer).toString("hex");
const utf8 = (text) => new TextEncoder().encode(text);

export async function Get({ key }) {
  const url = new URL("../b/./c?x=1#top", "https://Example.COM:443/a/z/");
  url.searchParams.append("q", "a b&c");
  const params = new URLSearchParams({ n: "1", s: "é" });
  params.sort();

  const shared = { when: new Date(0) };
  const original = { m: new Map([["k", shared]]), list: [shared, shared], bytes: new Uint8Array([1, 2]) };
  original.self = original;
  const copy = structuredClone(original);

  const t0 = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const waited = performance.now() - t0;

  const random = crypto.getRandomValues(new Uint8Array(32));
  const hmacKey = await crypto.subtle.importKey("raw", utf8(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
  const mac = await crypto.subtle.sign("HMAC", hmacKey, utf8("message"));
  const digests = {};
  for (const hash of ["SHA-1", "SHA-256", "SHA-384", "SHA-512"]) {
    digests[hash] = hex(await crypto.subtle.digest(hash, utf8("abc")));
  }

  await fs.promises.mkdir("dir/sub", { recursive: true });
  await fs.promises.writeFile("dir/sub/a.txt", "one\n");
  fs.appendFileSync("dir/sub/a.txt", "two\n");
  await fs.promises.appendFile("dir/sub/a.txt", "three\n");
  fs.renameSync("dir/sub/a.txt", "dir/sub/b.txt");
  const listed = fs.readdirSync("dir/sub");
  const stat = fs.statSync("dir/sub/b.txt");
  const text = await fs.promises.readFile("dir/sub/b.txt", "utf8");
  fs.writeFileSync("dir/gone.txt", "x");
  fs.rmSync("dir/gone.txt");

  const answers = {
    btoa: btoa("hello, world"),
    atob: atob("aGk="),
    url: url.href,
    host: url.host,
    params: params.toString(),
    clone: [copy.m.get("k") === copy.list[0], copy.list[0] === copy.list[1], copy.self === copy,
      copy.list[0].when instanceof Date, copy.bytes instanceof Uint8Array, copy !== original].join(" "),
    waited: waited >= 45 && waited < 10000,
    origin: typeof performance.timeOrigin,
    random: hex(random),
    hmac: hex(mac),
    verified: await crypto.subtle.verify("HMAC", hmacKey, mac, utf8("message")),
    forged: await crypto.subtle.verify("HMAC", hmacKey, mac, utf8("messagE")),
    digests,
    buffer: [Buffer.from("héllo").toString("base64url"), Buffer.concat([Buffer.from("ab"), Buffer.alloc(2, 0x7a)]).toString(),
      Buffer.byteLength("é"), Buffer.isBuffer(Buffer.from([1]))].join(" "),
    fs: [listed.join(","), stat.size, stat.isFile(), text.split("\n").length - 1, fs.existsSync("dir/gone.txt")].join(" "),
  };
  return { value: utf8(JSON.stringify(answers)) };
}

export function Put() {
  return {};
}
`

type webGlobalsAnswers struct {
	Btoa, Atob, URL, Host, Params, Clone string
	Waited                               bool
	Origin, Random, Hmac                 string
	Verified, Forged                     bool
	Digests                              map[string]string
	Buffer, Fs                           string
}

// checkWebGlobals checks the script's answers against Go's; key is the HMAC key.
func checkWebGlobals(t *testing.T, how string, value []byte, key string) {
	t.Helper()
	var got webGlobalsAnswers
	if err := json.Unmarshal(value, &got); err != nil {
		t.Fatalf("%s: %q: %v", how, value, err)
	}
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte("message"))
	random, err := hex.DecodeString(got.Random)
	if err != nil || len(random) != 32 || strings.Count(got.Random, "0") == 64 {
		t.Errorf("%s: getRandomValues: %q", how, got.Random)
	}
	sum1, sum256, sum384, sum512 := sha1.Sum([]byte("abc")), sha256.Sum256([]byte("abc")), sha512.Sum384([]byte("abc")), sha512.Sum512([]byte("abc"))
	want := webGlobalsAnswers{
		Btoa:     base64.StdEncoding.EncodeToString([]byte("hello, world")),
		Atob:     "hi",
		URL:      "https://example.com/a/b/c?x=1&q=a+b%26c#top",
		Host:     "example.com",
		Params:   "n=1&s=%C3%A9",
		Clone:    "true true true true true true",
		Waited:   true,
		Origin:   "number",
		Random:   got.Random,
		Hmac:     hex.EncodeToString(mac.Sum(nil)),
		Verified: true,
		Forged:   false,
		Digests: map[string]string{
			"SHA-1": hex.EncodeToString(sum1[:]), "SHA-256": hex.EncodeToString(sum256[:]),
			"SHA-384": hex.EncodeToString(sum384[:]), "SHA-512": hex.EncodeToString(sum512[:]),
		},
		Buffer: base64.RawURLEncoding.EncodeToString([]byte("héllo")) + " abzz 2 true",
		Fs:     "b.txt 14 true 3 false",
	}
	wantJSON, _ := json.MarshalIndent(want, "", "  ")
	gotJSON, _ := json.MarshalIndent(got, "", "  ")
	if string(wantJSON) != string(gotJSON) {
		t.Errorf("%s: got\n%s\nwant\n%s", how, gotJSON, wantJSON)
	}
}

func TestWebGlobalsThroughTheHostAndCall(t *testing.T) {
	bridgeLauncher(t)
	script := kvPlugin(t, "globals", webGlobalsScript)

	t.Run("host", func(t *testing.T) {
		p := startPlugin(t, startOpts{cmdline: bridgeCmdline(t, nil, script)})
		checkWebGlobals(t, "through the host", p.mustGet("host-key"), "host-key")
		if !fileExists(filepath.Join(p.Dir, "dir", "sub", "b.txt")) {
			t.Errorf("fs wrote outside the plugin's working directory %s", p.Dir)
		}
	})
	t.Run("call", func(t *testing.T) {
		code, stdout, stderr := runCmdline(t, bridgeCmdline(t, nil, "call", script, "Get", `{"key": "call-key"}`), nil, 2*time.Minute)
		var reply struct{ Value []byte }
		if err := json.Unmarshal([]byte(stdout), &reply); code != 0 || err != nil {
			t.Fatalf("exit %d, stdout %q (%v), stderr:\n%s", code, stdout, err, stderr)
		}
		checkWebGlobals(t, "through bridgejs call", reply.Value, "call-key")
	})
}
