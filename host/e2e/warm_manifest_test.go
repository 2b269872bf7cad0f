package e2e

// Warm mode asked for by the plugin's manifest ("warm": true) rather than BRIDGE_WARM: bin/bridgejs asks the warm
// client before any JVM starts; BRIDGE_WARM=1 or 0 in the environment wins over the manifest.

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// warmManifestPlugin writes a KV script whose manifest says "warm": warm, with the proto beside it (packable).
func warmManifestPlugin(t *testing.T, warm bool) string {
	t.Helper()
	dir := t.TempDir()
	proto, err := os.ReadFile(kvProto(t))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "kv.proto"), string(proto))
	script := writeFile(t, filepath.Join(dir, "wkv.js"), kvScript("", ""))
	writeFile(t, filepath.Join(dir, "wkv.plugin.json"), manifestJSON(t, map[string]interface{}{
		"proto": []string{"kv.proto"}, "warm": warm,
	}))
	return script
}

// manifestEnv is the runtime's environment with BRIDGE_WARM unset (env -u), whatever the suite's, or set to value.
func (w *warmRuntime) manifestEnv(value string) []string {
	env := []string{"-u", "BRIDGE_WARM"}
	if value != "" {
		env = []string{"BRIDGE_WARM=" + value}
	}
	for _, e := range w.env() {
		if !strings.HasPrefix(e, "BRIDGE_WARM=") {
			env = append(env, e)
		}
	}
	return env
}

// servedBy is the program the host's plugin process runs in the end: bridgejs-warm for the warm runtime's client,
// java for a plugin of its own.
func servedBy(t *testing.T, p *plug) string {
	t.Helper()
	exe, err := os.Readlink("/proc/" + strconv.Itoa(p.Cmd.Process.Pid) + "/exe")
	if err != nil {
		t.Fatalf("what the plugin process runs: %v", err)
	}
	return filepath.Base(exe)
}

func TestWarmByManifestWithoutBridgeWarm(t *testing.T) {
	w := newWarmRuntime(t)
	script := warmManifestPlugin(t, true)
	p := startPlugin(t, startOpts{cmdline: bridgeCmdline(t, w.manifestEnv(""), script)})
	p.mustPut("k", []byte("warm by manifest"))
	p.checkStored("k", []byte("warm by manifest"), p.mustGet("k"))
	if got := servedBy(t, p); got != "bridgejs-warm" {
		t.Errorf("the plugin process runs %s; want bridgejs-warm, the warm runtime's client", got)
	}
	w.awaitInstances(1)
}

func TestWarmByManifestIsOverriddenByBridgeWarm0(t *testing.T) {
	w := newWarmRuntime(t)
	script := warmManifestPlugin(t, true)
	p := startPlugin(t, startOpts{cmdline: bridgeCmdline(t, w.manifestEnv("0"), script)})
	p.mustPut("k", []byte("cold"))
	if got := servedBy(t, p); got != "java" {
		t.Errorf("the plugin process runs %s; want java: BRIDGE_WARM=0 serves cold whatever the manifest", got)
	}
	if out, err := w.run(w.launcher, "warm", "status"); err == nil {
		t.Errorf("a warm runtime runs, want none:\n%s", out)
	}
}

func TestWarmFalseInTheManifestIsOverriddenByBridgeWarm1(t *testing.T) {
	w := newWarmRuntime(t)
	script := warmManifestPlugin(t, false)
	cold := startPlugin(t, startOpts{cmdline: bridgeCmdline(t, w.manifestEnv(""), script)})
	cold.mustPut("k", []byte("cold"))
	if got := servedBy(t, cold); got != "java" {
		t.Errorf("with \"warm\": false the plugin process runs %s; want java", got)
	}
	warm := startPlugin(t, startOpts{cmdline: bridgeCmdline(t, w.manifestEnv("1"), script)})
	warm.mustPut("k", []byte("warm"))
	if got := servedBy(t, warm); got != "bridgejs-warm" {
		t.Errorf("with BRIDGE_WARM=1 the plugin process runs %s; want bridgejs-warm", got)
	}
}

func TestWarmByManifestOfAPackedPlugin(t *testing.T) {
	w := newWarmRuntime(t)
	script := warmManifestPlugin(t, true)
	path := filepath.Join(t.TempDir(), "notification-wkv")
	packScript(t, script, path)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("XDG_RUNTIME_DIR", w.xdg)
	t.Setenv("BRIDGE_WARM_JIT", "0")
	unsetenv(t, "BRIDGE_WARM")
	p := startPacked(t, path, t.TempDir(), nil)
	p.mustPut("k", []byte("packed, warm"))
	if got := servedBy(t, p); got != "bridgejs-warm" {
		t.Errorf("the packed plugin's process runs %s; want bridgejs-warm", got)
	}
	w.awaitInstances(1)
}

func TestWarmByManifestInAJvmStartedDirectlyIsServedColdSayingWhy(t *testing.T) {
	bridgeLauncher(t)
	java := filepath.Join(os.Getenv("JAVA_HOME"), "bin", "java")
	if os.Getenv("JAVA_HOME") == "" {
		java = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"
	}
	jar := filepath.Join(repoRoot(t), "bridge", "target", "bridge.jar")
	script := warmManifestPlugin(t, true)
	cmdline := "exec env -u BRIDGE_WARM " + shellQuote(java) + " -jar " + shellQuote(jar) + " " + shellQuote(script)
	p := startPlugin(t, startOpts{cmdline: cmdline})
	p.mustPut("k", []byte("cold"))
	want := "true asks for the warm runtime, but this plugin runs in a JVM of its own"
	if !strings.Contains(p.Logs.String(), want) {
		t.Errorf("the host's log does not say why the plugin is not warm (%s):\n%s", want, p.Logs.String())
	}
}
