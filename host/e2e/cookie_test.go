package e2e

// The magic cookie: "*" for a host that makes a new value at each launch, and
// refusals that name the variable, in the host's log when a host launched the
// plugin and on stderr for a person who ran it by hand.

import (
	"crypto/rand"
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"

	"bridge/host/kvrpc"
	"bridge/host/logsink"
)

// randomCookie is what a host that makes one per launch sets.
func randomCookie(t *testing.T) string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// cookiePlugin writes kv.js with a manifest whose handshake has this key and value.
func cookiePlugin(t *testing.T, key, value string) string {
	t.Helper()
	dir := t.TempDir()
	manifest := manifestJSON(t, map[string]interface{}{
		"proto": []string{kvProto(t)},
		"handshake": map[string]interface{}{
			"magicCookieKey":      key,
			"magicCookieValue":    value,
			"appProtocolVersions": []int{int(kvrpc.Handshake.ProtocolVersion)},
		},
	})
	writeFile(t, filepath.Join(dir, "kv.plugin.json"), manifest)
	return writeFile(t, filepath.Join(dir, "kv.js"), kvScript("", ""))
}

func TestAStarCookieAcceptsANewValueAtEachLaunch(t *testing.T) {
	bridgeLauncher(t)
	script := cookiePlugin(t, kvrpc.Handshake.MagicCookieKey, "*")
	for i := 0; i < 2; i++ {
		handshake := kvrpc.Handshake
		handshake.MagicCookieValue = randomCookie(t)
		p := startPlugin(t, startOpts{cmdline: bridgeCmdline(t, nil, script), handshake: &handshake})
		p.mustPut("k", []byte("launch"))
		p.checkStored("k", []byte("launch"), p.mustGet("k"))
		p.Client.Kill()
	}
}

// failedStart launches cmdline through go-plugin's client with handshake and
// returns the host's log once Client() failed.
func failedStart(t *testing.T, cmdline string, handshake plugin.HandshakeConfig) string {
	t.Helper()
	logs := &logsink.Buffer{}
	cmd := pluginCommand(t, t.TempDir())
	cmd.Args = []string{"sh", "-c", cmdline}
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  handshake,
		Plugins:          kvrpc.PluginMap(nil),
		Cmd:              cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		Logger:           hclog.New(&hclog.LoggerOptions{Name: "host", Level: hclog.Trace, Output: logs}),
		StartTimeout:     startTimeout(t),
	})
	t.Cleanup(func() {
		client.Kill()
		killGroup(cmd)
		if t.Failed() {
			t.Logf("plugin command: sh -c %q\n--- host/plugin log ---\n%s", cmdline, logs.String())
		}
	})
	if _, err := client.Client(); err == nil {
		t.Fatalf("client.Client() succeeded; want the plugin to refuse the cookie")
	}
	// The plugin's stderr is read to its end once go-plugin reports it exited.
	deadline := time.Now().Add(10 * time.Second)
	for !client.Exited() && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	return logs.String()
}

// errorLineWith is the host log's error line containing all of want, or "".
func errorLineWith(log string, want ...string) string {
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, "[ERROR]") && containsAll(line, want) {
			return line
		}
	}
	return ""
}

func TestACookieRefusalIsAnErrorInTheHostsLogNamingTheVariable(t *testing.T) {
	bridgeLauncher(t)
	t.Run("key-unset", func(t *testing.T) {
		// The host sets its own key, not the one the manifest names.
		script := cookiePlugin(t, "OTHER_APP_PLUGIN_COOKIE", "*")
		log := failedStart(t, bridgeCmdline(t, nil, script), kvrpc.Handshake)
		if errorLineWith(log, "OTHER_APP_PLUGIN_COOKIE", "is not set", "handshake.magicCookieKey") == "" {
			t.Errorf("no error line in the host log names OTHER_APP_PLUGIN_COOKIE as not set")
		}
	})
	t.Run("other-value", func(t *testing.T) {
		expected := "expected-" + randomCookie(t)
		script := cookiePlugin(t, kvrpc.Handshake.MagicCookieKey, expected)
		handshake := kvrpc.Handshake
		handshake.MagicCookieValue = randomCookie(t)
		log := failedStart(t, bridgeCmdline(t, nil, script), handshake)
		line := errorLineWith(log, kvrpc.Handshake.MagicCookieKey, "holds another value", "handshake.magicCookieValue")
		if line == "" {
			t.Errorf("no error line in the host log says %s holds another value", kvrpc.Handshake.MagicCookieKey)
		}
		for _, secret := range []string{expected, handshake.MagicCookieValue} {
			if strings.Contains(log, secret) {
				t.Errorf("the host log shows a cookie value (%s)", secret)
			}
		}
	})
}

func TestACookieRefusalByHandNamesTheVariableAndTheCallCommand(t *testing.T) {
	bridgeLauncher(t)
	kv := filepath.Join(repoRoot(t), "scripts", "kv.js")
	for _, c := range []struct {
		name, how string
		env       []string
	}{
		{"unset", "is not set", nil},
		{"other-value", "holds another value", []string{kvrpc.Handshake.MagicCookieKey + "=not-" + kvrpc.Handshake.MagicCookieValue}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runCmdline(t, bridgeCmdline(t, nil, kv), c.env, failFast)
			if code != 1 || stdout != "" {
				t.Errorf("exit code %d, stdout %q; want 1 and nothing", code, stdout)
			}
			for _, want := range []string{notAPluginMsg, kvrpc.Handshake.MagicCookieKey, c.how, "bridgejs call " + kv + " METHOD [JSON]"} {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr does not say %q:\n%s", want, stderr)
				}
			}
			if strings.Contains(stderr, kvrpc.Handshake.MagicCookieValue) {
				t.Errorf("stderr shows the expected cookie value:\n%s", stderr)
			}
		})
	}
}
