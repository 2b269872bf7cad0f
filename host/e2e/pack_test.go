package e2e

// Packed plugins (bridgejs pack): one executable file that the host runs as
// it is, with no arguments, as hosts that discover plugin files by name do
// (notification-<type>, terraform-provider-<name>_v<version>); also as
// another user with an unreadable HOME, as hosts that drop privileges do.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"

	"bridge/host/kvrpc"
	"bridge/host/logsink"
)

// nobody is the user a host drops to (Debian's nobody:nogroup).
const nobodyID = 65534

// packKV runs `bridgejs pack [extra...] scripts/kv.js -o out` with the repo's
// launcher and returns the SHA-256 pack printed on stdout.
func packKV(t *testing.T, out string, extra ...string) string {
	t.Helper()
	return packScript(t, filepath.Join(repoRoot(t), "scripts", "kv.js"), out, extra...)
}

// packScript runs `bridgejs pack [extra...] script -o out` and returns the SHA-256 it printed.
func packScript(t *testing.T, script, out string, extra ...string) string {
	t.Helper()
	args := append([]string{"pack"}, extra...)
	args = append(args, script, "-o", out)
	cmd := exec.Command(bridgeLauncher(t), args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("bridgejs %s: %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	fields := strings.Fields(stdout.String())
	if len(fields) != 2 || fields[1] != out {
		t.Fatalf("bridgejs pack: stdout %q, want \"<sha256>  %s\"", stdout.String(), out)
	}
	info, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if mode := info.Mode(); mode != 0o755 {
		t.Errorf("%s: mode %v, want -rwxr-xr-x", out, mode)
	}
	if sum := fileSHA256(t, out); sum != fields[0] {
		t.Errorf("bridgejs pack printed SHA-256 %s; the file's is %s", fields[0], sum)
	}
	return fields[0]
}

func fileSHA256(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// startPacked has the host run the plugin file itself, with no arguments
// (exec.Command(path)), in working dir dir, as cred's user when cred is set.
func startPacked(t *testing.T, path, dir string, cred *syscall.Credential) *plug {
	t.Helper()
	logs := &logsink.Buffer{}
	logger := hclog.New(&hclog.LoggerOptions{Name: "host", Level: hclog.Trace, Output: logs})
	cmd := exec.Command(path)
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: cred}
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  kvrpc.Handshake,
		Plugins:          kvrpc.PluginMap(nil),
		Cmd:              cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		Logger:           logger,
		StartTimeout:     startTimeout(t),
	})
	p := &plug{t: t, Dir: dir, Cmd: cmd, Client: client, Logs: logs}
	t.Cleanup(func() {
		client.Kill()
		killGroup(cmd)
		if t.Failed() || os.Getenv("BRIDGE_E2E_VERBOSE") == "1" {
			t.Logf("plugin file: %s (dir %s)\n--- host/plugin log ---\n%s", path, dir, logs.String())
		}
	})
	rpc, err := client.Client()
	if err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	raw, err := rpc.Dispense(kvrpc.PluginName)
	if err != nil {
		t.Fatalf("dispense: %v", err)
	}
	p.RPC = rpc.(*plugin.GRPCClient)
	p.KV = raw.(*kvrpc.Client)
	return p
}

func TestPackedPluginRunsWithNoArguments(t *testing.T) {
	bridgeLauncher(t)
	plugins := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", t.TempDir()) // the extraction, removed with the test
	var sums []string
	for _, name := range []string{"notification-kv", "terraform-provider-kv_v1.0.0"} {
		name := name
		path := filepath.Join(plugins, name)
		sums = append(sums, packKV(t, path))
		t.Run(name, func(t *testing.T) {
			p := startPacked(t, path, t.TempDir(), nil)
			value := []byte("packed " + name)
			p.mustPut("k", value)
			p.checkStored("k", value, p.mustGet("k"))
		})
	}
	// Packing the same plugin gives the same file, so a checksum a host recorded stays valid.
	if sums[0] != sums[1] {
		t.Errorf("the same plugin packed twice: SHA-256 %s, then %s", sums[0], sums[1])
	}
}

// TestPackedPluginAsAnotherUser: the host runs the packed file as nobody, with
// HOME unreadable to it, from a directory nobody owns. CI runs as root in a
// clone nobody may not read, so the bridge's launcher and jar are copied into a
// world-readable directory first, and the plugin packed to run that copy.
func TestPackedPluginAsAnotherUser(t *testing.T) {
	bridgeLauncher(t)
	if os.Geteuid() != 0 {
		t.Fatalf("this test runs the plugin as nobody (uid %d), which needs root; run the suite as root, as CI does", nobodyID)
	}
	install := installCopy(t)
	launcher := filepath.Join(install, "bridge", "bin", "bridgejs")
	plugins := filepath.Join(install, "plugins")
	mkdirMode(t, plugins, 0o755)
	path := filepath.Join(plugins, "notification-kv")
	packKV(t, path, "--launcher", launcher)

	home := filepath.Join(install, "home")
	mkdirMode(t, home, 0o700) // root's, unreadable to nobody
	tmp := filepath.Join(install, "tmp")
	mkdirMode(t, tmp, 0o1777)
	t.Setenv("HOME", home)
	unsetenv(t, "XDG_CACHE_HOME")
	t.Setenv("TMPDIR", tmp)
	work := filepath.Join(install, "work")
	mkdirMode(t, work, 0o755)
	if err := os.Chown(work, nobodyID, nobodyID); err != nil {
		t.Fatal(err)
	}

	p := startPacked(t, path, work, &syscall.Credential{Uid: nobodyID, Gid: nobodyID})
	value := []byte("packed, run by nobody")
	p.mustPut("k", value)
	p.checkStored("k", value, p.mustGet("k"))

	cache := filepath.Join(tmp, "bridgejs-65534")
	info, err := os.Stat(cache)
	if err != nil {
		t.Fatalf("the plugin's files were not extracted under TMPDIR: %v", err)
	}
	if st := info.Sys().(*syscall.Stat_t); st.Uid != nobodyID || info.Mode().Perm() != 0o700 {
		t.Errorf("%s: owner %d mode %v, want nobody's, 0700", cache, st.Uid, info.Mode().Perm())
	}
}

// unsetenv removes name from the environment until the test ends (set empty,
// it would still be seen: the JVM warns about an empty XDG_CACHE_HOME).
func unsetenv(t *testing.T, name string) {
	t.Helper()
	t.Setenv(name, "") // restores the old value, or absence, at the end
	if err := os.Unsetenv(name); err != nil {
		t.Fatal(err)
	}
}

func mkdirMode(t *testing.T, dir string, mode os.FileMode) {
	t.Helper()
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, mode); err != nil { // whatever the umask
		t.Fatal(err)
	}
}
