package e2e

// Harness of the webhook example's tests (notify_test.go, notify_call_test.go):
// the bridge running scripts/notify.js, granted the test's loopback webhook on
// the command line (--allow-net=127.0.0.1:<port>, the port being the one the
// test's server got), as a user grants a host the manifest does not name.
// These tests are bridge-specific (fetch, permissions): there is no native Go
// notify plugin, and they skip when the suite runs against one.

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"bridge/host/logsink"
	"bridge/host/notifyrpc"
)

// The secrets the tests give the plugin through its environment.
const (
	notifyToken  = "tok-5f1e9a"
	notifySecret = "Jefe" // RFC 4231's test case 2 key
)

func notifyScript(t *testing.T) string {
	script := filepath.Join(repoRoot(t), "scripts", "notify.js")
	if !fileExists(script) {
		t.Fatalf("script %s not found", script)
	}
	return script
}

// notifyArgs is the bridge's command line for the example: options (such as
// --allow-net or --manifest), then the script.
func notifyArgs(t *testing.T, options ...string) []string {
	return append(append([]string{}, options...), notifyScript(t))
}

// startNotify starts the bridge on scripts/notify.js under a go-plugin host,
// with env (NAME=value) and the bridge options given.
func startNotify(t *testing.T, env []string, options ...string) (*plug, notifyrpc.NotifierClient, *logsink.Buffer) {
	t.Helper()
	stderr := &logsink.Buffer{}
	p := startPlugin(t, startOpts{
		cmdline:   bridgeCmdline(t, nil, notifyArgs(t, options...)...),
		env:       env, // not on the command line, which the host logs
		handshake: &notifyrpc.Handshake,
		stderr:    stderr,
	})
	return p, notifyrpc.NewNotifierClient(p.RPC.Conn), stderr
}

// startGrantedNotify starts a webhook and the example under a host, given
// both secrets and granted the webhook, with a context for its calls.
func startGrantedNotify(t *testing.T) (*webhook, *plug, notifyrpc.NotifierClient, context.Context) {
	t.Helper()
	hook := startWebhook(t)
	p, notifier, _ := startNotify(t, notifySecrets(), "--allow-net="+hook.hostPort())
	ctx, cancel := p.callCtx()
	t.Cleanup(cancel)
	return hook, p, notifier, ctx
}

// notifySecrets is the environment granting both secrets.
func notifySecrets() []string {
	return []string{"NOTIFY_TOKEN=" + notifyToken, "NOTIFY_SECRET=" + notifySecret}
}

// manifestWithoutPermissions writes notify.plugin.json without its
// permissions into a directory of its own, the proto named by its absolute
// path, and returns its path (for --manifest).
func manifestWithoutPermissions(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "scripts", "notify.plugin.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]interface{}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("scripts/notify.plugin.json: %v", err)
	}
	delete(m, "permissions")
	m["proto"] = []string{filepath.Join(repoRoot(t), "proto", "notify.proto")}
	out, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, filepath.Join(t.TempDir(), "notify.plugin.json"), string(out))
}
