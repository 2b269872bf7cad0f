package e2e

// Bridge-specific end-to-end tests: behaviour of the bridge launcher
// (bridge/bin/bridgejs) that a native Go plugin does not share, on scripts and
// manifests the tests write into temp dirs. They skip when BRIDGE_PLUGIN_CMD
// names another plugin (tools/test.sh also runs the suite against the native
// Go plugin).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"bridge/host/kvrpc"
	"bridge/host/logsink"
)

// failFast bounds how long a plugin that cannot start may take to say so.
const failFast = 30 * time.Second

// bridgeLauncher returns <repo>/bridge/bin/bridgejs, skipping the test when
// the suite runs against some other plugin.
func bridgeLauncher(t *testing.T) string {
	t.Helper()
	if c := os.Getenv("BRIDGE_PLUGIN_CMD"); c != "" && !strings.Contains(c, "bridge/bin/bridgejs") && !strings.Contains(c, "bridge.jar") {
		t.Skipf("bridge-specific test; BRIDGE_PLUGIN_CMD=%q is not the bridge", c)
	}
	launcher := filepath.Join(repoRoot(t), "bridge", "bin", "bridgejs")
	if !fileExists(launcher) {
		t.Fatalf("launcher %s not found; build the bridge", launcher)
	}
	if !fileExists(filepath.Join(repoRoot(t), "bridge", "target", "bridge.jar")) {
		t.Fatalf("bridge/target/bridge.jar not found; build the bridge (mvn -B package -DskipTests)")
	}
	return launcher
}

// bridgeCmdline is the shell command line running the launcher with args,
// each prefixed by env assignments (set through env(1), so that they beat the
// variables go-plugin's client puts into the environment).
func bridgeCmdline(t *testing.T, env []string, args ...string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("exec ")
	if len(env) > 0 {
		b.WriteString("env ")
		for _, e := range env {
			b.WriteString(shellQuote(e) + " ")
		}
	}
	b.WriteString(shellQuote(bridgeLauncher(t)))
	for _, a := range args {
		b.WriteString(" " + shellQuote(a))
	}
	return b.String()
}

func kvProto(t *testing.T) string {
	return filepath.Join(repoRoot(t), "proto", "kv.proto")
}

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// manifestJSON is a manifest with the suite's handshake and the given
// top-level fields (JSON values by name).
func manifestJSON(t *testing.T, fields map[string]interface{}) string {
	t.Helper()
	m := map[string]interface{}{
		"handshake": map[string]interface{}{
			"magicCookieKey":      kvrpc.Handshake.MagicCookieKey,
			"magicCookieValue":    kvrpc.Handshake.MagicCookieValue,
			"appProtocolVersions": []int{int(kvrpc.Handshake.ProtocolVersion)},
		},
	}
	for k, v := range fields {
		m[k] = v
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// kvScript is scripts/kv.js's Put and Get (same files, same suffix) with
// extra statements at the top of Put and a replacement for Get's body.
func kvScript(putPrologue, getBody string) string {
	suffix, _ := json.Marshal(expectedSuffix())
	if getBody == "" {
		getBody = `
  const file = fileFor(key);
  if (!fs.existsSync(file)) {
    throw new RpcError("NOT_FOUND", ` + "`no value stored for key \"${key}\"`" + `);
  }
  return { value: fs.readFileSync(file) };`
	}
	return `const SUFFIX = ` + string(suffix) + `;

export function Put({ key, value }) {` + putPrologue + `
  const suffix = new TextEncoder().encode(SUFFIX);
  const stored = new Uint8Array(value.length + suffix.length);
  stored.set(value, 0);
  stored.set(suffix, value.length);
  fs.writeFileSync(fileFor(key), stored);
  return {};
}

export function Get({ key }) {` + getBody + `
}

function fileFor(key) {
  return ` + "`kv_${key}`" + `;
}
`
}

// kvPlugin writes a script (and its manifest, serving the repository's
// proto/kv.proto) into a temp dir and returns the script's path.
func kvPlugin(t *testing.T, name, script string) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, name+".plugin.json"), manifestJSON(t, map[string]interface{}{
		"proto":    []string{kvProto(t)},
		"services": []string{"proto.KV"},
	}))
	return writeFile(t, filepath.Join(dir, name+".js"), script)
}

// protoPlugin writes NAME.proto, a manifest serving it and NAME.js into a
// temp dir and returns the script's path: a test plugin with its own service.
func protoPlugin(t *testing.T, name, proto, script string) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, name+".proto"), proto)
	writeFile(t, filepath.Join(dir, name+".plugin.json"), manifestJSON(t, map[string]interface{}{
		"proto": []string{name + ".proto"},
	}))
	return writeFile(t, filepath.Join(dir, name+".js"), script)
}

// logEntry is one line of a plugin's stderr: an hclog JSON line decoded, or
// a plain line (level "").
type logEntry struct {
	level, message string
}

func parseStderr(stderr string) []logEntry {
	var out []logEntry
	for _, line := range strings.Split(stderr, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var j struct {
			Level   string `json:"@level"`
			Message string `json:"@message"`
		}
		if strings.HasPrefix(line, "{") && json.Unmarshal([]byte(line), &j) == nil && j.Message != "" {
			out = append(out, logEntry{j.Level, j.Message})
		} else {
			out = append(out, logEntry{"", line})
		}
	}
	return out
}

// startupCase is a plugin that must refuse to start.
type startupCase struct {
	name string
	// setup builds the broken inputs in dir and returns the launcher's
	// arguments and env assignments.
	setup func(t *testing.T, dir string) (args, env []string)
	// want are texts the reason must contain (file, field or variable).
	want []string
}

func startupCases(t *testing.T) []startupCase {
	goodManifest := func(t *testing.T, dir, name string) {
		writeFile(t, filepath.Join(dir, name+".plugin.json"), manifestJSON(t, map[string]interface{}{"proto": []string{kvProto(t)}}))
	}
	kv := filepath.Join(repoRoot(t), "scripts", "kv.js")
	return []startupCase{
		{
			name: "missing-script",
			setup: func(t *testing.T, dir string) ([]string, []string) {
				return []string{filepath.Join(dir, "nope", "missing.js")}, nil
			},
			want: []string{"nope/missing.js", "no such script file"},
		},
		{
			name: "missing-script-with-manifest",
			setup: func(t *testing.T, dir string) ([]string, []string) {
				goodManifest(t, dir, "missing")
				return []string{filepath.Join(dir, "missing.js")}, nil
			},
			want: []string{"missing.js", "no such script file"},
		},
		{
			name: "script-syntax-error",
			setup: func(t *testing.T, dir string) ([]string, []string) {
				goodManifest(t, dir, "broken")
				return []string{writeFile(t, filepath.Join(dir, "broken.js"),
					"export function Put() {\n  return {};\n}\nexport function Get() {\n  return {;\n}\n")}, nil
			},
			want: []string{"broken.js:5:"},
		},
		{
			name: "script-throws-at-load",
			setup: func(t *testing.T, dir string) ([]string, []string) {
				goodManifest(t, dir, "throws")
				return []string{writeFile(t, filepath.Join(dir, "throws.js"),
					"export function Put() { return {}; }\nthrow new Error(\"boom at load\");\n")}, nil
			},
			want: []string{"boom at load", "throws.js:2:"},
		},
		{
			name: "script-loops-at-load",
			setup: func(t *testing.T, dir string) ([]string, []string) {
				goodManifest(t, dir, "loops")
				return []string{"--load-timeout=500ms", writeFile(t, filepath.Join(dir, "loops.js"),
					"export function Put() { return {}; }\nfor (;;) {}\n")}, nil
			},
			want: []string{"loops.js", "did not finish within 500 ms"},
		},
		{
			name: "manifest-instances-out-of-range",
			setup: func(t *testing.T, dir string) ([]string, []string) {
				writeFile(t, filepath.Join(dir, "kv.plugin.json"), manifestJSON(t, map[string]interface{}{
					"proto": []string{kvProto(t)}, "instances": 0}))
				return []string{writeFile(t, filepath.Join(dir, "kv.js"), kvScript("", ""))}, nil
			},
			want: []string{"kv.plugin.json", "\"instances\" must be from 1 to 64, got 0"},
		},
		{
			name: "missing-proto",
			setup: func(t *testing.T, dir string) ([]string, []string) {
				writeFile(t, filepath.Join(dir, "kv.plugin.json"), manifestJSON(t, map[string]interface{}{"proto": []string{"protos/absent.proto"}}))
				return []string{writeFile(t, filepath.Join(dir, "kv.js"), kvScript("", ""))}, nil
			},
			want: []string{"protos/absent.proto"},
		},
		{
			name: "proto-syntax-error",
			setup: func(t *testing.T, dir string) ([]string, []string) {
				writeFile(t, filepath.Join(dir, "bad.proto"),
					"syntax = \"proto3\";\npackage proto;\n\nmessage GetRequest {\n  string key = ;\n}\n")
				writeFile(t, filepath.Join(dir, "kv.plugin.json"), manifestJSON(t, map[string]interface{}{"proto": []string{"bad.proto"}}))
				return []string{writeFile(t, filepath.Join(dir, "kv.js"), kvScript("", ""))}, nil
			},
			want: []string{"bad.proto:5:"},
		},
		{
			name: "unknown-service",
			setup: func(t *testing.T, dir string) ([]string, []string) {
				writeFile(t, filepath.Join(dir, "kv.plugin.json"), manifestJSON(t, map[string]interface{}{
					"proto": []string{kvProto(t)}, "services": []string{"proto.NoSuchService"}}))
				return []string{writeFile(t, filepath.Join(dir, "kv.js"), kvScript("", ""))}, nil
			},
			want: []string{"proto.NoSuchService"},
		},
		{
			name: "export-matches-no-method",
			setup: func(t *testing.T, dir string) ([]string, []string) {
				goodManifest(t, dir, "lower")
				return []string{writeFile(t, filepath.Join(dir, "lower.js"), kvScript("", "")+
					"\nexport function get({ key }) {\n  return { value: new Uint8Array(0) };\n}\n")}, nil
			},
			want: []string{"exports get,"},
		},
		{
			name: "manifest-unknown-field",
			setup: func(t *testing.T, dir string) ([]string, []string) {
				writeFile(t, filepath.Join(dir, "kv.plugin.json"),
					`{"proto": [`+strconv.Quote(kvProto(t))+`], "handshake": {"magicCookeKey": "x"}}`)
				return []string{writeFile(t, filepath.Join(dir, "kv.js"), kvScript("", ""))}, nil
			},
			want: []string{"kv.plugin.json", `unknown field "handshake.magicCookeKey" (did you mean "magicCookieKey"?`},
		},
		{
			name: "manifest-syntax-error",
			setup: func(t *testing.T, dir string) ([]string, []string) {
				writeFile(t, filepath.Join(dir, "kv.plugin.json"),
					"{\n  \"proto\": ["+strconv.Quote(kvProto(t))+"],\n  handshake: {}\n}\n")
				return []string{writeFile(t, filepath.Join(dir, "kv.js"), kvScript("", ""))}, nil
			},
			want: []string{"kv.plugin.json:3:3: not valid JSON"},
		},
		{
			name: "init-placeholder-cookie",
			setup: func(t *testing.T, dir string) ([]string, []string) {
				writeFile(t, filepath.Join(dir, "kv.plugin.json"), manifestJSON(t, map[string]interface{}{
					"proto": []string{kvProto(t)},
					"handshake": map[string]interface{}{
						"magicCookieKey":   "FILL_IN_THE_HOSTS_MAGIC_COOKIE_KEY",
						"magicCookieValue": "FILL_IN_THE_HOSTS_MAGIC_COOKIE_VALUE",
					}}))
				return []string{writeFile(t, filepath.Join(dir, "kv.js"), kvScript("", ""))}, nil
			},
			want: []string{"kv.plugin.json", "FILL_IN_THE_HOSTS_MAGIC_COOKIE_KEY", "handshake.magicCookieKey"},
		},
		{
			name: "bad-PLUGIN_MIN_PORT-with-tcp",
			setup: func(t *testing.T, dir string) ([]string, []string) {
				return []string{"--tcp", kv}, []string{"PLUGIN_MIN_PORT=abc"}
			},
			want: []string{"PLUGIN_MIN_PORT", "abc"},
		},
		{
			name: "bad-BRIDGE_LOG_LEVEL",
			setup: func(t *testing.T, dir string) ([]string, []string) {
				return []string{kv}, []string{"BRIDGE_LOG_LEVEL=loud"}
			},
			want: []string{"BRIDGE_LOG_LEVEL", "loud"},
		},
	}
}

func containsAll(s string, want []string) bool {
	for _, w := range want {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}

// TestStartupErrorsDirect runs each broken plugin by hand with the magic
// cookie: exit 1, no handshake line, the reason on stderr (in an error-level
// hclog line when the line is JSON).
func TestStartupErrorsDirect(t *testing.T) {
	bridgeLauncher(t)
	for _, c := range startupCases(t) {
		t.Run(c.name, func(t *testing.T) {
			args, env := c.setup(t, t.TempDir())
			cmdline := bridgeCmdline(t, env, args...)
			code, stdout, stderr := runCmdline(t, cmdline,
				[]string{kvrpc.Handshake.MagicCookieKey + "=" + kvrpc.Handshake.MagicCookieValue}, failFast)
			if code != 1 {
				t.Errorf("exit code: got %d, want 1", code)
			}
			if stdout != "" {
				t.Errorf("stdout: got %q, want nothing (no handshake line)", stdout)
			}
			found := false
			for _, e := range parseStderr(stderr) {
				if containsAll(e.message, c.want) {
					found = true
					if e.level != "error" {
						t.Errorf("the reason is logged at level %q, want an hclog error line: %q", e.level, e.message)
					}
				}
			}
			if !found {
				t.Errorf("no stderr line contains all of %q; command sh -c %q\nstderr:\n%s", c.want, cmdline, stderr)
			}
		})
	}
}

// TestStartupErrorsThroughClient starts each broken plugin through
// go-plugin's client: Client() fails promptly (not by the start timeout),
// the plugin process is gone and the reason is in the host's log.
func TestStartupErrorsThroughClient(t *testing.T) {
	bridgeLauncher(t)
	for _, c := range startupCases(t) {
		t.Run(c.name, func(t *testing.T) {
			args, env := c.setup(t, t.TempDir())
			cmdline := bridgeCmdline(t, env, args...)
			logs := &logsink.Buffer{}
			cmd := pluginCommand(t, t.TempDir())
			cmd.Args = []string{"sh", "-c", cmdline}
			client := plugin.NewClient(&plugin.ClientConfig{
				HandshakeConfig:  kvrpc.Handshake,
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

			start := time.Now()
			done := make(chan error, 1)
			go func() {
				_, err := client.Client()
				done <- err
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(failFast):
				t.Fatalf("client.Client() still waiting after %v: the host hangs on a plugin that cannot start", failFast)
			}
			t.Logf("client.Client() failed after %v: %v", time.Since(start).Round(time.Millisecond), err)
			if err == nil {
				t.Fatalf("client.Client() succeeded; want an error")
			}
			if strings.Contains(err.Error(), "timeout") {
				t.Errorf("client.Client() error is go-plugin's start timeout (%v); want the plugin to exit", err)
			}

			// Exited() turns true once go-plugin has read all of stderr and reaped the process.
			pid := cmd.Process.Pid
			deadline := time.Now().Add(10 * time.Second)
			for !client.Exited() && time.Now().Before(deadline) {
				time.Sleep(20 * time.Millisecond)
			}
			if !client.Exited() {
				t.Errorf("client does not report the plugin as exited 10s after the failed start")
			}
			if !processGone(pid) {
				t.Errorf("plugin process %d still running after the failed start", pid)
			}
			if err := syscall.Kill(-pid, 0); err == nil {
				t.Errorf("processes of the plugin's group %d still running: %v", pid, descendants(pid))
			}

			// go-plugin relays hclog JSON lines at their level (plain lines at debug).
			var relayed string
			for _, line := range strings.Split(logs.String(), "\n") {
				if containsAll(line, c.want) {
					relayed = line
				}
			}
			switch {
			case relayed == "":
				t.Errorf("no line of the host log contains all of %q", c.want)
			case !strings.Contains(relayed, "[ERROR]"):
				t.Errorf("the host log has the reason, but not at error level: %s", relayed)
			}
		})
	}
}

// TestStdoutIsOnlyTheHandshakeLine runs the bridge by hand with the cookie:
// stdout is one handshake line and stays so; SIGTERM ends the process within
// 30s, with the JVM's SIGTERM status 143 (128+15, after the shutdown hook ran),
// and the Unix socket file is removed.
func TestStdoutIsOnlyTheHandshakeLine(t *testing.T) {
	bridgeLauncher(t)
	cmdline := bridgeCmdline(t, nil, filepath.Join(repoRoot(t), "scripts", "kv.js"))
	cmd := pluginCommand(t, t.TempDir())
	cmd.Args = []string{"sh", "-c", cmdline}
	socketDir := t.TempDir()
	cmd.Env = append(cleanEnv(),
		kvrpc.Handshake.MagicCookieKey+"="+kvrpc.Handshake.MagicCookieValue,
		"PLUGIN_PROTOCOL_VERSIONS=1",
		"PLUGIN_UNIX_SOCKET_DIR="+socketDir,
	)
	var stderr logsink.Buffer
	cmd.Stderr = &stderr
	stdoutR, stdoutW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdoutR.Close()
	cmd.Stdout = stdoutW
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stdoutW.Close()
	t.Cleanup(func() {
		killGroup(cmd)
		if t.Failed() {
			t.Logf("plugin command: sh -c %q\nstderr:\n%s", cmdline, stderr.String())
		}
	})
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()

	line, err := readLine(stdoutR, startTimeout(t))
	if err != nil {
		t.Fatalf("%v\nstderr:\n%s", err, stderr.String())
	}
	m := handshakeRE.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("first stdout line %q does not match %s", line, handshakeRE)
	}
	if m[1] != "unix" {
		t.Fatalf("handshake network: got %q, want unix", m[1])
	}
	socket := m[2]
	if filepath.Dir(socket) != socketDir {
		t.Errorf("socket %s is not in PLUGIN_UNIX_SOCKET_DIR %s", socket, socketDir)
	}
	if fi, err := os.Stat(socket); err != nil || fi.Mode()&os.ModeSocket == 0 {
		t.Fatalf("handshake address %s is not a socket (%v)", socket, err)
	}
	// Rest of stdout, read concurrently until EOF (the process's exit).
	rest := make(chan []byte, 1)
	go func() {
		var b []byte
		buf := make([]byte, 4096)
		for {
			n, err := stdoutR.Read(buf)
			b = append(b, buf[:n]...)
			if err != nil {
				rest <- b
				return
			}
		}
	}()

	// A call through the socket must not print anything on stdout either.
	addr := &net.UnixAddr{Name: socket, Net: "unix"}
	if _, err := dialHealth(t, addr, nil, callTimeout(t)); err != nil {
		t.Errorf("health check on %s: %v", socket, err)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err = <-waited:
	case <-time.After(30 * time.Second):
		t.Fatalf("the plugin did not exit within 30s of SIGTERM")
	}
	var ee *exec.ExitError
	code := 0
	if errors.As(err, &ee) {
		code = ee.ExitCode() // -1 when killed by the signal itself
	} else if err != nil {
		t.Fatal(err)
	}
	if code != 143 {
		t.Errorf("exit code after SIGTERM: got %d (%v), want 143 (the JVM's exit after running its shutdown hooks)", code, err)
	}
	select {
	case b := <-rest:
		if len(b) > 0 {
			t.Errorf("stdout after the handshake line: got %q, want nothing", b)
		}
	case <-time.After(10 * time.Second):
		t.Errorf("stdout still open 10s after the plugin exited")
	}
	if _, err := os.Lstat(socket); !os.IsNotExist(err) {
		t.Errorf("socket file %s left behind after SIGTERM (%v)", socket, err)
	}
}

// TestSigintIsIgnored: a terminal's Ctrl-C reaches the plugin too, but the
// host decides what it means; the plugin keeps serving.
func TestSigintIsIgnored(t *testing.T) {
	bridgeLauncher(t)
	p := startPlugin(t, startOpts{})
	p.mustPut("before-sigint", []byte("one"))
	pid := p.Cmd.Process.Pid
	if err := syscall.Kill(pid, syscall.SIGINT); err != nil {
		t.Fatalf("SIGINT to %d: %v", pid, err)
	}
	time.Sleep(time.Second)
	if processGone(pid) || p.Client.Exited() {
		t.Fatalf("the plugin exited on SIGINT")
	}
	p.checkStored("before-sigint", []byte("one"), p.mustGet("before-sigint"))
	p.mustPut("after-sigint", []byte("two"))
	p.checkStored("after-sigint", []byte("two"), p.mustGet("after-sigint"))

	done := make(chan struct{})
	go func() { p.Client.Kill(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("Kill() did not return within 30s")
	}
	deadline := time.Now().Add(10 * time.Second)
	for !processGone(pid) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if !processGone(pid) {
		t.Fatalf("plugin process %d still running after Kill()", pid)
	}
}

// freePortRange finds n consecutive TCP ports on 127.0.0.1 below the usual
// ephemeral range and keeps the first one busy, so that the plugin must
// skip it.
func freePortRange(t *testing.T, n int) (min, max int) {
	t.Helper()
	for base := 30000; base+n < 32700; base += n {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", base))
		if err != nil {
			continue
		}
		t.Cleanup(func() { l.Close() })
		return base, base + n - 1
	}
	t.Fatalf("no free port range found")
	return 0, 0
}

// TestTcpWithinPortRange: with --tcp the plugin listens on 127.0.0.1, on a
// free port of PLUGIN_MIN_PORT..PLUGIN_MAX_PORT (as go-plugin's client sets
// them from MinPort/MaxPort).
func TestTcpWithinPortRange(t *testing.T) {
	bridgeLauncher(t)
	min, max := freePortRange(t, 50)
	p := startPlugin(t, startOpts{
		cmdline: bridgeCmdline(t, nil, "--tcp", filepath.Join(repoRoot(t), "scripts", "kv.js")),
		minPort: uint(min),
		maxPort: uint(max),
	})
	addr := p.Client.ReattachConfig().Addr
	t.Logf("plugin address: %s %s (range %d..%d, %d busy)", addr.Network(), addr, min, max, min)
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || addr.Network() != "tcp" {
		t.Fatalf("plugin address: got %s %v, want tcp", addr.Network(), addr)
	}
	if !tcp.IP.Equal(net.IPv4(127, 0, 0, 1)) {
		t.Errorf("plugin listens on %v, want 127.0.0.1", tcp.IP)
	}
	if tcp.Port <= min || tcp.Port > max {
		t.Errorf("plugin port %d: want within %d..%d, not %d (busy)", tcp.Port, min+1, max, min)
	}
	p.mustPut("over-tcp", []byte("tcp value"))
	p.checkStored("over-tcp", []byte("tcp value"), p.mustGet("over-tcp"))
}

// TestUnixSocketDir: the socket is created in PLUGIN_UNIX_SOCKET_DIR and
// removed when the plugin ends.
func TestUnixSocketDir(t *testing.T) {
	bridgeLauncher(t)
	dir := t.TempDir()
	p := startPlugin(t, startOpts{env: []string{"PLUGIN_UNIX_SOCKET_DIR=" + dir}})
	addr := p.Client.ReattachConfig().Addr
	if addr.Network() != "unix" {
		t.Fatalf("plugin address: got %s %v, want unix", addr.Network(), addr)
	}
	socket := addr.String()
	if filepath.Dir(socket) != dir {
		t.Errorf("socket %s: want it in PLUGIN_UNIX_SOCKET_DIR %s", socket, dir)
	}
	if fi, err := os.Stat(socket); err != nil || fi.Mode()&os.ModeSocket == 0 {
		t.Errorf("%s is not a socket (%v)", socket, err)
	}
	p.mustPut("in-socket-dir", []byte("v"))
	p.checkStored("in-socket-dir", []byte("v"), p.mustGet("in-socket-dir"))

	p.Client.Kill()
	deadline := time.Now().Add(10 * time.Second)
	for fileExists(socket) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if fileExists(socket) {
		t.Errorf("socket %s left behind after Kill()", socket)
	}
}

// TestConsoleReachesHostLog: each console method of a handler becomes a line
// of the host's log at its level. The bridge writes hclog JSON lines with
// @level debug, info, warn and error; go-plugin re-logs each at that level.
// The plugin logs at debug here: at the default info, console.debug lines
// stay out of the log.
func TestConsoleReachesHostLog(t *testing.T) {
	bridgeLauncher(t)
	script := kvPlugin(t, "console", kvScript(`
  console.debug("debugged", key);
  console.log("logged", key);
  console.info("informed", key);
  console.warn("warned", key);
  console.error("errored", key);`, ""))
	p := startPlugin(t, startOpts{cmdline: bridgeCmdline(t, []string{"BRIDGE_LOG_LEVEL=debug"}, script)})
	p.mustPut("console-key-7f3a", []byte("v"))
	p.checkStored("console-key-7f3a", []byte("v"), p.mustGet("console-key-7f3a"))

	want := []struct{ method, text, level string }{
		{"console.debug", "debugged console-key-7f3a", "[DEBUG]"},
		{"console.log", "logged console-key-7f3a", "[INFO]"},
		{"console.info", "informed console-key-7f3a", "[INFO]"},
		{"console.warn", "warned console-key-7f3a", "[WARN]"},
		{"console.error", "errored console-key-7f3a", "[ERROR]"},
	}
	// The lines travel through stderr and go-plugin's relay: give them time.
	found := map[string]string{}
	deadline := time.Now().Add(10 * time.Second)
	for {
		for _, line := range strings.Split(p.Logs.String(), "\n") {
			for _, w := range want {
				if strings.Contains(line, w.text) {
					found[w.text] = line
				}
			}
		}
		if len(found) == len(want) || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, w := range want {
		line, ok := found[w.text]
		switch {
		case !ok:
			t.Errorf("the host log has no line with %s's %q", w.method, w.text)
		case !strings.Contains(line, w.level):
			t.Errorf("%s's line is not at %s: %s", w.method, w.level, line)
		}
	}
	if t.Failed() {
		t.Logf("host log:\n%s", p.Logs.String())
	}
}

// TestLogFieldsShowIntegers: the serving line's whole-number fields reach the
// host's log as digits. go-plugin's host decodes a JSON number into a float64
// and hclog prints it with %v, so a number 4194304 would show as
// max_message_size=4.194304e+06; the bridge writes them as JSON strings.
func TestLogFieldsShowIntegers(t *testing.T) {
	bridgeLauncher(t)
	p := startPlugin(t, startOpts{cmdline: bridgeCmdline(t, nil, "--max-message-size=4MiB",
		filepath.Join(repoRoot(t), "scripts", "kv.js"))})
	p.mustPut("log-fields", []byte("v"))
	var serving string
	deadline := time.Now().Add(10 * time.Second)
	for serving == "" && time.Now().Before(deadline) {
		for _, line := range strings.Split(p.Logs.String(), "\n") {
			if strings.Contains(line, "serving ") && strings.Contains(line, "max_message_size=") {
				serving = line
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	switch {
	case serving == "":
		t.Fatalf("the host log has no serving line with max_message_size:\n%s", p.Logs.String())
	case !strings.Contains(serving, "max_message_size=4194304 "):
		t.Errorf("max_message_size is not shown as an integer: %s", serving)
	case !strings.Contains(serving, "instances=1 ") || strings.Contains(serving, "e+0"):
		t.Errorf("a whole number is shown as a float: %s", serving)
	default:
		t.Logf("serving line: %s", serving)
	}
}

// TestNarrowedServicesLeaveOtherHandlersUnserved: a proto file defining two
// services, a script implementing both, and a manifest serving one of them
// ("services"): the plugin serves, and says at debug which exports it left
// unserved.
func TestNarrowedServicesLeaveOtherHandlersUnserved(t *testing.T) {
	bridgeLauncher(t)
	dir := t.TempDir()
	kv, err := os.ReadFile(kvProto(t))
	if err != nil {
		t.Fatal(err)
	}
	proto := writeFile(t, filepath.Join(dir, "shop.proto"), string(kv)+"\nservice Admin {\n  rpc Flush(Empty) returns (Empty);\n}\n")
	writeFile(t, filepath.Join(dir, "shop.plugin.json"), manifestJSON(t, map[string]interface{}{
		"proto":    []string{proto},
		"services": []string{"proto.KV"},
	}))
	script := writeFile(t, filepath.Join(dir, "shop.js"), kvScript("", "")+"\nexport function Flush() {\n  return {};\n}\n")
	p := startPlugin(t, startOpts{cmdline: bridgeCmdline(t, []string{"BRIDGE_LOG_LEVEL=debug"}, script)})
	p.mustPut("narrowed", []byte("v"))
	p.checkStored("narrowed", []byte("v"), p.mustGet("narrowed"))
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(p.Logs.String(), "exports not served") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	for _, line := range strings.Split(p.Logs.String(), "\n") {
		if strings.Contains(line, "exports not served") {
			if !strings.Contains(line, "[DEBUG]") || !strings.Contains(line, "Flush") {
				t.Errorf("the unserved exports line is not a debug line naming Flush: %s", line)
			}
			return
		}
	}
	t.Errorf("the host log has no line on the unserved export Flush:\n%s", p.Logs.String())
}

// TestJvmOutputStaysOffTheHandshake: what the JVM prints on its stdout when
// BRIDGE_JAVA_OPTS asks it to (a unified-logging line with no output named, a
// VM option echoed) would be taken by go-plugin for a broken handshake; the
// launcher sends it to stderr, so the plugin loads and the lines reach the
// host's log.
func TestJvmOutputStaysOffTheHandshake(t *testing.T) {
	bridgeLauncher(t)
	skipInWarmMode(t, "BRIDGE_JAVA_OPTS apply to the runtime's JVM, started once, not to each plugin")
	script := filepath.Join(repoRoot(t), "scripts", "kv.js")
	p := startPlugin(t, startOpts{cmdline: bridgeCmdline(t,
		[]string{"BRIDGE_JAVA_OPTS=-Xlog:gc -XX:+PrintVMOptions"}, script)})
	p.mustPut("jvm-output-key", []byte("v"))
	p.checkStored("jvm-output-key", []byte("v"), p.mustGet("jvm-output-key"))

	want := []string{"[info][gc] Using Serial", "VM option '+PrintVMOptions'"}
	deadline := time.Now().Add(10 * time.Second)
	for !containsAll(p.Logs.String(), want) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if !containsAll(p.Logs.String(), want) {
		t.Errorf("the host log lacks the JVM's lines %q:\n%s", want, p.Logs.String())
	}
}

// TestHandlerErrors: a thrown plain Error is UNKNOWN with its message; a
// response of the wrong shape is INTERNAL naming the field; the plugin keeps
// serving after both.
func TestHandlerErrors(t *testing.T) {
	bridgeLauncher(t)
	script := kvPlugin(t, "errors", kvScript("", `
  if (key === "kaput") {
    throw new Error("kaput");
  }
  if (key === "shape") {
    return { value: 42 };
  }
  return { value: fs.readFileSync(fileFor(key)) };`))
	p := startPlugin(t, startOpts{cmdline: bridgeCmdline(t, nil, script)})

	for _, c := range []struct {
		key, text string
		code      codes.Code
	}{
		{"kaput", "kaput", codes.Unknown},
		{"shape", "value", codes.Internal},
	} {
		_, err := p.get(c.key)
		st, _ := status.FromError(err)
		if err == nil || st.Code() != c.code || !strings.Contains(st.Message(), c.text) {
			t.Errorf("get %q: got %v, want code %v with a message containing %q", c.key, err, c.code, c.text)
		} else {
			t.Logf("get %q: %v", c.key, err)
		}
		key := "after-" + c.key
		p.mustPut(key, []byte("still serving"))
		p.checkStored(key, []byte("still serving"), p.mustGet(key))
	}
}

// TestAsyncHandler: an async handler's result is what its promise resolves
// to, after a chain of awaits; a rejection after an await is the call's error;
// an async Get reads back what Put stored.
func TestAsyncHandler(t *testing.T) {
	bridgeLauncher(t)
	script := kvPlugin(t, "async", strings.Replace(kvScript("", `
  const text = await Promise.resolve(key)
    .then((k) => k + "-one")
    .then(async (k) => {
      await null;
      return k + "-two";
    });
  if (key === "reject") {
    throw new RpcError("FAILED_PRECONDITION", "rejected " + text);
  }
  if (key === "async") {
    return { value: new TextEncoder().encode(text) };
  }
  return { value: await Promise.resolve(fileFor(key)).then((f) => fs.readFileSync(f)) };`), "export function Get(", "export async function Get(", 1))
	p := startPlugin(t, startOpts{cmdline: bridgeCmdline(t, nil, script)})

	if got, want := string(p.mustGet("async")), "async-one-two"; got != want {
		t.Errorf("get \"async\": got %q, want %q", got, want)
	}
	_, err := p.get("reject")
	st, _ := status.FromError(err)
	if err == nil || st.Code() != codes.FailedPrecondition || !strings.Contains(st.Message(), "rejected reject-one-two") {
		t.Errorf("get \"reject\": got %v, want FailedPrecondition \"rejected reject-one-two\"", err)
	}
	p.mustPut("after-async", []byte("x"))
	p.checkStored("after-async", []byte("x"), p.mustGet("after-async"))
}

// TestRunawayHandlerIsInterrupted: a handler stuck in an endless loop is
// interrupted at the plugin's call time limit (--call-timeout) and fails with
// DeadlineExceeded; a handler whose promise never settles ends at the host's
// own deadline; module state survives and the plugin serves the next calls.
func TestRunawayHandlerIsInterrupted(t *testing.T) {
	bridgeLauncher(t)
	script := kvPlugin(t, "runaway", kvScript("", `
  globalThis.gets = (globalThis.gets || 0) + 1;
  if (key === "spin") {
    for (;;) {}
  }
  if (key === "hang") {
    return new Promise(() => {});
  }
  if (key === "count") {
    return { value: new TextEncoder().encode(String(globalThis.gets)) };
  }
  return { value: fs.readFileSync(fileFor(key)) };`))
	p := startPlugin(t, startOpts{cmdline: bridgeCmdline(t, nil, "--call-timeout", "1s", script)})

	_, err := p.get("spin")
	if st, _ := status.FromError(err); st.Code() != codes.DeadlineExceeded || !strings.Contains(st.Message(), "interrupted") {
		t.Errorf("get spin: got %v, want DeadlineExceeded saying the handler was interrupted", err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	_, err = p.KV.Get(ctx, "hang")
	cancel()
	if st, _ := status.FromError(err); st.Code() != codes.DeadlineExceeded {
		t.Errorf("get hang with a 300ms host deadline: got %v, want DeadlineExceeded", err)
	}

	p.mustPut("after", []byte("still serving"))
	p.checkStored("after", []byte("still serving"), p.mustGet("after"))
	if got, want := string(p.mustGet("count")), "4"; got != want {
		t.Errorf("module state: the handler counted %s calls, want %s (spin, hang, after, count)", got, want)
	}
}
