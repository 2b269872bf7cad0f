package e2e

// The warm runtime (BRIDGE_WARM=1): the plugin a host starts is a small client of a per-user runtime that serves
// the plugin instance. Each test here has a runtime of its own (its own XDG_RUNTIME_DIR), interpreter-only so that
// it starts quickly, stopped when the test ends. The rest of the suite runs in warm mode as tools/test.sh's warm
// variant (BRIDGE_WARM=1 in the suite's environment).

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"bridge/host/kvrpc"
)

// warmRuntime is one test's warm runtime.
type warmRuntime struct {
	t        *testing.T
	xdg      string // its XDG_RUNTIME_DIR; the runtime lives in xdg/bridge
	launcher string
}

func newWarmRuntime(t *testing.T) *warmRuntime {
	t.Helper()
	launcher := bridgeLauncher(t)
	// Short, so that the socket's path fits in sun_path; MkdirTemp makes it 0700.
	xdg, err := os.MkdirTemp("", "warm")
	if err != nil {
		t.Fatal(err)
	}
	w := &warmRuntime{t: t, xdg: xdg, launcher: launcher}
	t.Cleanup(func() {
		w.run(w.launcher, "warm", "stop")
		os.RemoveAll(xdg)
	})
	return w
}

// env is what a plugin command of this runtime sets.
func (w *warmRuntime) env() []string {
	return []string{"XDG_RUNTIME_DIR=" + w.xdg, "BRIDGE_WARM=1", "BRIDGE_WARM_JIT=0", "BRIDGE_WARM_IDLE=2m"}
}

// cmdline serves the script through this runtime.
func (w *warmRuntime) cmdline(args ...string) string {
	return bridgeCmdline(w.t, w.env(), args...)
}

// run runs launcher with args and this runtime's directory; its stdout.
func (w *warmRuntime) run(launcher string, args ...string) (string, error) {
	cmd := exec.Command(launcher, args...)
	cmd.Env = append(cleanEnv(), "XDG_RUNTIME_DIR="+w.xdg)
	out, err := cmd.Output()
	return string(out), err
}

// status is `bridgejs warm status` of launcher's build, as key → value.
func (w *warmRuntime) status(launcher string) map[string]string {
	w.t.Helper()
	out, err := w.run(launcher, "warm", "status")
	if err != nil {
		w.t.Fatalf("bridgejs warm status: %v\n%s", err, out)
	}
	status := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if key, value, ok := strings.Cut(line, " "); ok {
			status[key] = value
		}
	}
	return status
}

func (w *warmRuntime) pid(launcher string) int {
	w.t.Helper()
	pid, err := strconv.Atoi(w.status(launcher)["pid"])
	if err != nil {
		w.t.Fatalf("warm status has no pid: %v", err)
	}
	return pid
}

// awaitInstances waits until the runtime serves n instances.
func (w *warmRuntime) awaitInstances(n int) {
	w.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		got := w.status(w.launcher)["instances"]
		if got == strconv.Itoa(n) {
			return
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("the runtime serves %s instances, want %d", got, n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// skipInWarmMode skips a test of what a plugin served by the warm runtime does not have of its own (a JVM, a heap),
// when the suite runs in warm mode (BRIDGE_WARM=1 in its environment, which every plugin it starts inherits).
func skipInWarmMode(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("BRIDGE_WARM") == "1" {
		t.Skipf("warm mode (BRIDGE_WARM=1): %s", why)
	}
}

func kvScriptPath(t *testing.T) string {
	return filepath.Join(repoRoot(t), "scripts", "kv.js")
}

func TestWarmKill9OfAClientEndsItsInstanceOnly(t *testing.T) {
	w := newWarmRuntime(t)
	a := startPlugin(t, startOpts{cmdline: w.cmdline(kvScriptPath(t))})
	b := startPlugin(t, startOpts{cmdline: w.cmdline(kvScriptPath(t))})
	a.mustPut("a", []byte("from a"))
	b.mustPut("b", []byte("from b"))
	w.awaitInstances(2)
	runtime := w.pid(w.launcher)

	// What a host's Kill does after its grace period, and what a crashing host leaves: the client dies at once.
	if err := syscall.Kill(a.Cmd.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	w.awaitInstances(1)
	b.checkStored("b", []byte("from b"), b.mustGet("b"))
	b.mustPut("b2", []byte("still served"))
	if got := w.pid(w.launcher); got != runtime {
		t.Errorf("the runtime is pid %d, was %d: it must outlive a killed client", got, runtime)
	}
}

func TestWarmRuntimeKilledMidCallEndsItsClientsAndTheNextLaunchRecovers(t *testing.T) {
	w := newWarmRuntime(t)
	p := startPlugin(t, startOpts{cmdline: w.cmdline(kvScriptPath(t))})
	p.mustPut("k", []byte("v"))
	runtime := w.pid(w.launcher)

	calls := make(chan error, 1)
	go func() {
		for {
			if _, err := p.get("k"); err != nil {
				calls <- err
				return
			}
		}
	}()
	time.Sleep(200 * time.Millisecond) // calls under way
	if err := syscall.Kill(runtime, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-calls:
		t.Logf("a call once the runtime died: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("calls still succeed 30 s after the runtime was killed")
	}
	deadline := time.Now().Add(10 * time.Second)
	for !p.Client.Exited() && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if !p.Client.Exited() {
		t.Fatal("the client still runs 10 s after its runtime died")
	}
	if code := p.Cmd.ProcessState.ExitCode(); code == 0 {
		t.Errorf("the client exited 0; want non-zero, so that the host sees its plugin fail")
	}
	if !strings.Contains(p.Logs.String(), "the warm runtime ended without this plugin's exit code") {
		t.Errorf("the host's log does not say why the plugin ended:\n%s", p.Logs.String())
	}

	next := startPlugin(t, startOpts{cmdline: w.cmdline(kvScriptPath(t))})
	next.mustPut("k", []byte("after"))
	next.checkStored("k", []byte("after"), next.mustGet("k"))
	if got := w.pid(w.launcher); got == runtime {
		t.Errorf("the runtime is still pid %d, which was killed", got)
	}
}

func TestWarmTwoHostsWithDifferentCookiesAndAutoMTLSAtOnce(t *testing.T) {
	w := newWarmRuntime(t)
	script := cookiePlugin(t, kvrpc.Handshake.MagicCookieKey, "*")
	var plugins []*plug
	for i := 0; i < 2; i++ {
		handshake := kvrpc.Handshake
		handshake.MagicCookieValue = randomCookie(t)
		plugins = append(plugins, startPlugin(t, startOpts{cmdline: w.cmdline(script), handshake: &handshake,
			autoMTLS: true}))
	}
	w.awaitInstances(2)
	for i, p := range plugins {
		key := "host" + strconv.Itoa(i)
		p.mustPut(key, []byte(key))
	}
	for i, p := range plugins {
		key := "host" + strconv.Itoa(i)
		// In each host's own working directory: the instance resolves paths against its client's.
		p.checkStored(key, []byte(key), p.mustGet(key))
		other := "host" + strconv.Itoa(1-i)
		if fileExists(filepath.Join(p.Dir, "kv_"+other)) {
			t.Errorf("host %d's directory holds the other host's kv_%s", i, other)
		}
	}
}

func TestWarmAnotherUserCannotConnect(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Fatalf("this test connects as another user (uid %d), which needs root; run the suite as root (CI does)", nobody)
	}
	w := newWarmRuntime(t)
	p := startPlugin(t, startOpts{cmdline: w.cmdline(kvScriptPath(t))})
	p.mustPut("k", []byte("v"))
	socket := w.status(w.launcher)["socket"]
	probe := filepath.Join(repoRoot(t), "host", "bin", "warmprobe")
	if !fileExists(probe) {
		t.Fatalf("%s not found; run host/build.sh", probe)
	}
	// Another user must be able to run it: the checkout may sit in a directory only root can enter.
	probeDir, err := os.MkdirTemp("", "bridge-warmprobe-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(probeDir) })
	if err := os.Chmod(probeDir, 0o755); err != nil {
		t.Fatal(err)
	}
	copyFile(t, probe, filepath.Join(probeDir, "warmprobe"), 0o755)
	probe = filepath.Join(probeDir, "warmprobe")
	// The directory keeps everyone else out; opened here, the runtime's own check of the peer must refuse.
	dir := filepath.Dir(socket)
	for _, path := range []string{w.xdg, dir} {
		if err := os.Chmod(path, 0o711); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(socket, 0o777); err != nil {
		t.Fatal(err)
	}
	defer func() {
		os.Chmod(dir, 0o700)
		os.Chmod(w.xdg, 0o700)
	}()

	cmd := exec.Command(probe, socket)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	out, err := cmd.CombinedOutput()
	if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 3 {
		t.Fatalf("warmprobe as uid %d: %v, want exit 3 (refused without an answer)\n%s", nobody, err, out)
	}
	if strings.Contains(string(out), "pid ") {
		t.Errorf("another user got the runtime's status:\n%s", out)
	}
	if out, err := exec.Command(probe, socket).CombinedOutput(); err != nil || !strings.Contains(string(out), "instances 1") {
		t.Errorf("warmprobe as the runtime's user: %v\n%s", err, out)
	}
	log, err := os.ReadFile(strings.TrimSuffix(socket, ".sock") + ".log")
	if err != nil || !strings.Contains(string(log), "refused a connection from another user") {
		t.Errorf("the runtime's log does not record the refusal (%v):\n%s", err, log)
	}
	p.mustPut("k2", []byte("still served"))
}

func TestWarmANewBuildDoesNotUseAnOldRuntime(t *testing.T) {
	w := newWarmRuntime(t)
	old := startPlugin(t, startOpts{cmdline: w.cmdline(kvScriptPath(t))})
	old.mustPut("k", []byte("old"))
	oldStatus := w.status(w.launcher)

	// Another build: the same launcher, client and code in another place with a jar of another modification time.
	root := t.TempDir()
	copyFile(t, w.launcher, filepath.Join(root, "bin", "bridgejs"), 0o755)
	target := filepath.Join(repoRoot(t), "bridge", "target")
	copyFile(t, filepath.Join(target, "bridge.jar"), filepath.Join(root, "target", "bridge.jar"), 0o644)
	copyFile(t, filepath.Join(target, "bridgejs-warm"), filepath.Join(root, "target", "bridgejs-warm"), 0o755)
	newLauncher := filepath.Join(root, "bin", "bridgejs")
	t.Cleanup(func() { w.run(newLauncher, "warm", "stop") })

	var cmdline strings.Builder
	cmdline.WriteString("exec env")
	for _, e := range w.env() {
		cmdline.WriteString(" " + shellQuote(e))
	}
	cmdline.WriteString(" " + shellQuote(newLauncher) + " " + shellQuote(kvScriptPath(t)))
	fresh := startPlugin(t, startOpts{cmdline: cmdline.String()})
	fresh.mustPut("k", []byte("new"))
	newStatus := w.status(newLauncher)
	if newStatus["build"] == oldStatus["build"] || newStatus["pid"] == oldStatus["pid"] {
		t.Errorf("the new build uses the old runtime: old %v, new %v", oldStatus, newStatus)
	}
	if got := w.status(w.launcher)["instances"]; got != "1" {
		t.Errorf("the old runtime serves %s instances, want 1 (the old build's)", got)
	}
	old.checkStored("k", []byte("old"), old.mustGet("k"))
}

func TestWarmEachPluginReadsItsOwnEnvironmentAndLogsToItsOwnHost(t *testing.T) {
	w := newWarmRuntime(t)
	dir := t.TempDir()
	script := writeFile(t, filepath.Join(dir, "probe.js"), kvScript("", `
  console.log("get " + key + " in " + process.env.WARM_PROBE);
  return { value: new TextEncoder().encode(process.env.WARM_PROBE ?? "unset") };`))
	writeFile(t, filepath.Join(dir, "probe.plugin.json"), manifestJSON(t, map[string]interface{}{
		"proto":       []string{kvProto(t)},
		"permissions": map[string]interface{}{"env": []string{"WARM_PROBE"}},
	}))
	var plugins []*plug
	for _, value := range []string{"first", "second"} {
		env := append(w.env(), "WARM_PROBE="+value)
		plugins = append(plugins, startPlugin(t, startOpts{cmdline: bridgeCmdline(t, env, script)}))
	}
	for i, p := range plugins {
		want := []string{"first", "second"}[i]
		if got := string(p.mustGet("k" + want)); got != want {
			t.Errorf("plugin %d: process.env.WARM_PROBE is %q, want its own client's %q", i, got, want)
		}
	}
	for i, p := range plugins {
		own, other := []string{"first", "second"}[i], []string{"first", "second"}[1-i]
		logs := p.Logs.String()
		if !strings.Contains(logs, "get k"+own+" in "+own) || strings.Contains(logs, "get k"+other) {
			t.Errorf("host %d's log should hold its own plugin's console line and not the other's:\n%s", i, logs)
		}
	}
}

func TestWarmARunawayPluginDoesNotStallAnother(t *testing.T) {
	w := newWarmRuntime(t)
	dir := t.TempDir()
	script := writeFile(t, filepath.Join(dir, "spin.js"), kvScript("", `
  if (key === "spin") { for (;;) {} }
  return { value: new TextEncoder().encode("quick") };`))
	writeFile(t, filepath.Join(dir, "spin.plugin.json"), manifestJSON(t, map[string]interface{}{
		"proto": []string{kvProto(t)}, "callTimeout": "5s",
	}))
	runaway := startPlugin(t, startOpts{cmdline: w.cmdline(script)})
	other := startPlugin(t, startOpts{cmdline: w.cmdline(script)})
	spun := make(chan error, 1)
	go func() {
		_, err := runaway.get("spin")
		spun <- err
	}()
	time.Sleep(500 * time.Millisecond) // the runaway handler is spinning
	for i := 0; i < 20; i++ {
		started := time.Now()
		if got := string(other.mustGet("k")); got != "quick" {
			t.Fatalf("the other plugin answered %q", got)
		}
		if took := time.Since(started); took > 2*time.Second {
			t.Fatalf("a call to the other plugin took %v while the runaway one spun", took)
		}
	}
	select {
	case err := <-spun:
		if err == nil {
			t.Errorf("the runaway call succeeded; want its call time limit to end it")
		}
	case <-time.After(30 * time.Second):
		t.Errorf("the runaway call was not ended by its 5 s call time limit")
	}
	other.mustPut("after", []byte("x"))
}
