package e2e

// Harness: how the suite finds, starts and cleans up the plugin under test.
//
// Environment:
//
//	BRIDGE_PLUGIN_CMD     plugin command line, run with `sh -c` in a fresh temp
//	                      working dir; default
//	                      "exec <repo>/bridge/bin/bridgejs <repo>/scripts/kv.js"
//	BRIDGE_STREAMS_CMD    the streaming example's plugin command line (streams_test.go);
//	                      default "exec <repo>/bridge/bin/bridgejs <repo>/scripts/streams.js"
//	BRIDGE_CALLBACK_CMD   the broker example's plugin command line (callback_test.go);
//	                      default "exec <repo>/bridge/bin/bridgejs <repo>/scripts/callback.js"
//	BRIDGE_STREAM_MESSAGES messages in each direction of the million-message tests
//	                      (streams_memory_test.go; default 1000000)
//	BRIDGE_STREAM_RSS_MAX the bound of the plugin's resident memory during them
//	                      (MiB, default 1024)
//	BRIDGE_REPO_ROOT      repository root (default: found from this package's dir)
//	BRIDGE_EXPECT_WRITER  writer name in the suffix every stored value gets,
//	                      "\n\nWritten from <writer>" (default "plugin-js")
//	BRIDGE_START_TIMEOUT  go-plugin start timeout (Go duration, default 2m)
//	BRIDGE_CALL_TIMEOUT   timeout of one RPC (Go duration, default 1m)
//	BRIDGE_PARALLEL_N     put/get rounds per goroutine in TestParallelCalls (default 25)
//	BRIDGE_STRESS_N       calls per goroutine in the stress tests (stress_test.go,
//	                      bridge_stress_test.go; default 40)
//	BRIDGE_E2E_VERBOSE    1: print the host/plugin log of every test, not only of failed ones
//
// The bridge-specific tests (bridge_test.go) run <repo>/bridge/bin/bridgejs on
// scripts of their own; they skip when BRIDGE_PLUGIN_CMD names another plugin.

import (
	"bytes"
	"context"
	"fmt"
	"io"
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

	"bridge/host/kvrpc"
	"bridge/host/logsink"
)

func envDuration(t testing.TB, name string, def time.Duration) time.Duration {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		t.Fatalf("%s=%q: %v", name, v, err)
	}
	return d
}

func envInt(t testing.TB, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		t.Fatalf("%s=%q: want a positive integer", name, v)
	}
	return n
}

func startTimeout(t testing.TB) time.Duration {
	return envDuration(t, "BRIDGE_START_TIMEOUT", 2*time.Minute)
}
func callTimeout(t testing.TB) time.Duration {
	return envDuration(t, "BRIDGE_CALL_TIMEOUT", time.Minute)
}

// expectedSuffix is what the plugin appends to every stored value.
func expectedSuffix() string {
	w := os.Getenv("BRIDGE_EXPECT_WRITER")
	if w == "" {
		w = "plugin-js"
	}
	return "\n\nWritten from " + w
}

// repoRoot finds the repository root: BRIDGE_REPO_ROOT, else the first
// ancestor of this package's (symlink-resolved) directory holding pom.xml
// and host/.
func repoRoot(t testing.TB) string {
	if r := os.Getenv("BRIDGE_REPO_ROOT"); r != "" {
		abs, err := filepath.Abs(r)
		if err != nil {
			t.Fatal(err)
		}
		return abs
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := filepath.EvalSymlinks(wd)
	if err != nil {
		t.Fatal(err)
	}
	for d := dir; ; d = filepath.Dir(d) {
		if fileExists(filepath.Join(d, "pom.xml")) && fileExists(filepath.Join(d, "host")) {
			return d
		}
		if filepath.Dir(d) == d {
			t.Fatalf("repository root not found above %s; set BRIDGE_REPO_ROOT", dir)
		}
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// pluginCmdline is the shell command line that starts the plugin.
func pluginCmdline(t testing.TB) string {
	if c := os.Getenv("BRIDGE_PLUGIN_CMD"); c != "" {
		return c
	}
	root := repoRoot(t)
	launcher := filepath.Join(root, "bridge", "bin", "bridgejs")
	script := filepath.Join(root, "scripts", "kv.js")
	if !fileExists(launcher) {
		t.Fatalf("launcher %s not found; build the bridge or set BRIDGE_PLUGIN_CMD", launcher)
	}
	if !fileExists(script) {
		t.Fatalf("script %s not found; set BRIDGE_PLUGIN_CMD", script)
	}
	return "exec " + shellQuote(launcher) + " " + shellQuote(script)
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}

// pluginCommand returns `sh -c CMDLINE` in working dir dir, in its own
// process group so that cleanup can kill whatever it spawned.
func pluginCommand(t testing.TB, dir string) *exec.Cmd {
	cmd := exec.Command("sh", "-c", pluginCmdline(t))
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return cmd
}

// plug is one running plugin under test.
type plug struct {
	t      *testing.T
	Dir    string // the plugin's working directory
	Cmd    *exec.Cmd
	Client *plugin.Client
	RPC    *plugin.GRPCClient
	KV     *kvrpc.Client
	Logs   *logsink.Buffer // the host's log, with the plugin's stderr lines go-plugin relays into it
}

type startOpts struct {
	autoMTLS bool
	cmdline  string   // plugin command line (sh -c); default pluginCmdline(t)
	env      []string // added to the plugin command's environment
	// The host's handshake; nil: kvrpc.Handshake.
	handshake *plugin.HandshakeConfig
	// More plugins for the host to dispense (from p.RPC) besides the KV one.
	plugins map[string]plugin.Plugin
	// The port range go-plugin hands the plugin (PLUGIN_MIN_PORT..PLUGIN_MAX_PORT);
	// zero: go-plugin's default 10000..25000.
	minPort, maxPort uint
	dir              string              // the plugin's working directory; default a fresh temp dir
	credential       *syscall.Credential // run the plugin as this user and group; default the test's
	stderr           io.Writer           // also gets the plugin's raw stderr (go-plugin's ClientConfig.Stderr)
}

// startPlugin launches the plugin with go-plugin's client in a fresh temp
// dir, connects and dispenses the KV client. Everything is torn down when
// the test ends.
func startPlugin(t *testing.T, o startOpts) *plug {
	t.Helper()
	dir := o.dir
	if dir == "" {
		dir = t.TempDir()
	}
	logs := &logsink.Buffer{}
	logger := hclog.New(&hclog.LoggerOptions{
		Name:   "host",
		Level:  hclog.Trace,
		Output: logs,
	})
	cmd := pluginCommand(t, dir)
	cmdline := pluginCmdline(t)
	if o.cmdline != "" {
		cmdline = o.cmdline
		cmd.Args = []string{"sh", "-c", cmdline}
	}
	if len(o.env) > 0 {
		// go-plugin appends the test's environment and its own variables.
		cmd.Env = append([]string{}, o.env...)
	}
	cmd.SysProcAttr.Credential = o.credential
	handshake := kvrpc.Handshake
	if o.handshake != nil {
		handshake = *o.handshake
	}
	plugins := kvrpc.PluginMap(nil)
	for name, p := range o.plugins {
		plugins[name] = p
	}
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  handshake,
		Plugins:          plugins,
		Cmd:              cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		Logger:           logger,
		AutoMTLS:         o.autoMTLS,
		StartTimeout:     startTimeout(t),
		MinPort:          o.minPort,
		MaxPort:          o.maxPort,
		Stderr:           o.stderr,
	})
	p := &plug{t: t, Dir: dir, Cmd: cmd, Client: client, Logs: logs}
	t.Cleanup(func() {
		client.Kill()
		killGroup(cmd)
		if t.Failed() || os.Getenv("BRIDGE_E2E_VERBOSE") == "1" {
			t.Logf("plugin command: sh -c %q (dir %s)\n--- host/plugin log ---\n%s", cmdline, dir, logs.String())
		}
	})

	rpc, err := client.Client()
	if err != nil {
		t.Fatalf("starting plugin: %v", err)
	}
	g, ok := rpc.(*plugin.GRPCClient)
	if !ok {
		t.Fatalf("plugin protocol: got %T, want *plugin.GRPCClient", rpc)
	}
	p.RPC = g
	raw, err := rpc.Dispense(kvrpc.PluginName)
	if err != nil {
		t.Fatalf("dispense: %v", err)
	}
	p.KV = raw.(*kvrpc.Client)
	return p
}

// killGroup SIGKILLs the process group of a command started with Setpgid.
func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil && cmd.Process.Pid > 0 {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}

func (p *plug) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), callTimeout(p.t))
}

func (p *plug) put(key string, value []byte) error {
	ctx, cancel := p.ctx()
	defer cancel()
	return p.KV.Put(ctx, key, value)
}

func (p *plug) get(key string) ([]byte, error) {
	ctx, cancel := p.ctx()
	defer cancel()
	return p.KV.Get(ctx, key)
}

func (p *plug) mustPut(key string, value []byte) {
	p.t.Helper()
	if err := p.put(key, value); err != nil {
		p.t.Fatalf("put %q (%d bytes): %v", key, len(value), err)
	}
}

func (p *plug) mustGet(key string) []byte {
	p.t.Helper()
	v, err := p.get(key)
	if err != nil {
		p.t.Fatalf("get %q: %v", key, err)
	}
	return v
}

// checkStored checks a value read back and the kv_<key> file in the
// plugin's working dir against the value put.
func (p *plug) checkStored(key string, put, got []byte) {
	p.t.Helper()
	want := append(append([]byte{}, put...), expectedSuffix()...)
	if !bytes.Equal(got, want) {
		p.t.Errorf("get %q: got %s, want %s", key, describe(got), describe(want))
	}
	file, err := os.ReadFile(filepath.Join(p.Dir, "kv_"+key))
	if err != nil {
		p.t.Errorf("stored file: %v", err)
	} else if !bytes.Equal(file, want) {
		p.t.Errorf("file kv_%s: got %s, want %s", key, describe(file), describe(want))
	}
}

// describe renders a value for failure messages: short ones quoted, long
// ones by length and the first difference-friendly head and tail.
func describe(b []byte) string {
	if len(b) <= 80 {
		return fmt.Sprintf("%q", b)
	}
	return fmt.Sprintf("%d bytes %q...%q", len(b), b[:32], b[len(b)-32:])
}

// processGone reports whether pid no longer runs (absent, or a zombie
// waiting to be reaped).
func processGone(pid int) bool {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	// "pid (comm) S ..." — comm may hold spaces and parentheses.
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 || i+2 >= len(s) {
		return false
	}
	state := s[i+2]
	return state == 'Z' || state == 'X'
}

// descendants lists pid and all its descendant processes.
func descendants(pid int) []int {
	children := map[int][]int{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		data, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		s := string(data)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) < 2 {
			continue
		}
		ppid, err := strconv.Atoi(f[1])
		if err == nil {
			children[ppid] = append(children[ppid], p)
		}
	}
	out := []int{pid}
	for i := 0; i < len(out); i++ {
		out = append(out, children[out[i]]...)
	}
	return out
}

// runDirect runs the plugin command without go-plugin's client, with env
// (added to the environment without BASIC_PLUGIN and PLUGIN_*), and returns
// its exit code, stdout and stderr. It fails the test after timeout.
func runDirect(t *testing.T, env []string, timeout time.Duration) (int, string, string) {
	t.Helper()
	return runCmdline(t, pluginCmdline(t), env, timeout)
}

// runCmdline is runDirect with another plugin command line.
func runCmdline(t *testing.T, cmdline string, env []string, timeout time.Duration) (int, string, string) {
	t.Helper()
	cmd := pluginCommand(t, t.TempDir())
	cmd.Args = []string{"sh", "-c", cmdline}
	cmd.Env = append(cleanEnv(), env...)
	cmd.Stdin = nil
	var stdout, stderr logsink.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { killGroup(cmd) })
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("wait: %v", err)
		}
		return code, stdout.String(), stderr.String()
	case <-time.After(timeout):
		killGroup(cmd)
		<-done
		t.Fatalf("plugin still running after %v\nstdout: %q\nstderr: %s", timeout, stdout.String(), stderr.String())
		return 0, "", ""
	}
}

// cleanEnv is the test's environment without the magic cookie and the
// go-plugin handshake variables.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, kvrpc.Handshake.MagicCookieKey+"=") || strings.HasPrefix(kv, "PLUGIN_") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// readLine reads the first line (up to '\n') from r within timeout.
func readLine(r io.Reader, timeout time.Duration) (string, error) {
	type res struct {
		line string
		err  error
	}
	ch := make(chan res, 1)
	go func() {
		var b []byte
		one := make([]byte, 1)
		for {
			n, err := r.Read(one)
			if n == 1 {
				if one[0] == '\n' {
					ch <- res{string(b), nil}
					return
				}
				b = append(b, one[0])
			}
			if err != nil {
				ch <- res{string(b), fmt.Errorf("stdout closed before a full line (%v); read %q", err, b)}
				return
			}
		}
	}()
	select {
	case r := <-ch:
		return r.line, r.err
	case <-time.After(timeout):
		return "", fmt.Errorf("no handshake line within %v", timeout)
	}
}
