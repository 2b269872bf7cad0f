package main

import (
	"fmt"
	"strconv"
	"strings"
)

// markerPrefix starts every answer to Get("version").
const markerPrefix = "version-"

// scriptVersion is scripts/kv.js whose Get answers version n for the key
// "version": a script of the usual size, so that a reload loads as much as
// an author's would.
func scriptVersion(n int) string {
	return fmt.Sprintf(`// The KV plugin, version %[1]d of the reload benchmark.
const VERSION = "%[2]s%[1]d";
const SUFFIX = "\n\nWritten from plugin-js";

export function Put({ key, value }) {
  const suffix = new TextEncoder().encode(SUFFIX);
  const stored = new Uint8Array(value.length + suffix.length);
  stored.set(value, 0);
  stored.set(suffix, value.length);
  fs.writeFileSync(fileFor(key), stored);
  return {};
}

export function Get({ key }) {
  if (key === "version") {
    return { value: VERSION };
  }
  const file = fileFor(key);
  if (!fs.existsSync(file)) {
    throw new RpcError("NOT_FOUND", `+"`no value stored for key \"${key}\"`"+`);
  }
  return { value: fs.readFileSync(file) };
}

function fileFor(key) {
  return `+"`kv_${key}`"+`;
}
`, n, markerPrefix)
}

// parseVersion reads the version number out of an answer.
func parseVersion(answer []byte) (int, error) {
	s := string(answer)
	if !strings.HasPrefix(s, markerPrefix) {
		return 0, fmt.Errorf("unexpected answer %q", s)
	}
	return strconv.Atoi(strings.TrimPrefix(s, markerPrefix))
}
