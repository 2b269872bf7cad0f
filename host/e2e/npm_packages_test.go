package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// TestNpmPackagesThroughTheHost serves examples/yaml-kv to the real go-plugin
// host: the KV service with every value kept in store.yaml, parsed and written
// with the npm packages yaml (ES modules) and ms (CommonJS), pinned by its
// package-lock.json and installed by tools/setup.sh (npm ci).
func TestNpmPackagesThroughTheHost(t *testing.T) {
	dir := filepath.Join(repoRoot(t), "examples", "yaml-kv")
	for _, name := range []string{"yaml", "ms"} {
		if !fileExists(filepath.Join(dir, "node_modules", name, "package.json")) {
			t.Fatalf("examples/yaml-kv/node_modules/%s is missing: run tools/setup.sh (npm ci in examples/yaml-kv)", name)
		}
	}
	p := startPlugin(t, startOpts{cmdline: bridgeCmdline(t, nil, filepath.Join(dir, "yaml-kv.js"))})

	p.mustPut("session", []byte("user: ada\nroles: [admin, dev]\nttl: 2h"))
	p.mustPut("plain", []byte("just text"))
	want := "user: ada\nroles:\n  - admin\n  - dev\nttl: 2h\nttlMs: 7200000\n"
	if got := string(p.mustGet("session")); got != want {
		t.Errorf("get session: got %q, want %q", got, want)
	}
	if got := string(p.mustGet("plain")); got != "just text\n" {
		t.Errorf("get plain: got %q, want %q", got, "just text\n")
	}
	store, err := os.ReadFile(filepath.Join(p.Dir, "store.yaml"))
	if err != nil {
		t.Fatalf("store.yaml in the plugin's working directory: %v", err)
	}
	if !strings.HasPrefix(string(store), "session:\n  user: ada\n") || !strings.Contains(string(store), "\nplain: just text\n") {
		t.Errorf("store.yaml: got %q", store)
	}

	// A ttl ms cannot read fails the call, and the plugin keeps serving.
	err = p.put("bad", []byte("ttl: soon"))
	if code := status.Code(err); code != codes.InvalidArgument || !strings.Contains(err.Error(), `ttl "soon" is not a duration`) {
		t.Fatalf("put with ttl soon: got %v (%v), want InvalidArgument naming the ttl", code, err)
	}
	if got := string(p.mustGet("plain")); got != "just text\n" {
		t.Errorf("get plain after the failed put: got %q", got)
	}
}

// TestPackedNpmPluginRunsWithNoArguments packs examples/yaml-kv: the file holds
// the package files the script loaded (and the package.json files read to find
// them), so the extracted copy resolves yaml and ms as the original did.
func TestPackedNpmPluginRunsWithNoArguments(t *testing.T) {
	bridgeLauncher(t)
	t.Setenv("XDG_CACHE_HOME", t.TempDir()) // the extraction, removed with the test
	path := filepath.Join(t.TempDir(), "notification-yaml-kv")
	packScript(t, filepath.Join(repoRoot(t), "examples", "yaml-kv", "yaml-kv.js"), path)
	p := startPacked(t, path, t.TempDir(), nil)
	p.mustPut("packed", []byte("ttl: 90s"))
	if got, want := string(p.mustGet("packed")), "ttl: 90s\nttlMs: 90000\n"; got != want {
		t.Errorf("get packed: got %q, want %q", got, want)
	}
}
