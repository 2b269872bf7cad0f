package e2e

// Launching the bridge the ways real hosts do: as another user whose home is
// unreadable, in a working directory that user may not write, and through a
// symbolic link with an empty environment.

import (
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"bridge/host/kvrpc"
	"bridge/host/logsink"
)

// nobody is the user and group a host runs its plugins as (Debian's
// nobody:nogroup).
const nobody = 65534

// installCopy copies what the launcher needs (bin/bridgejs, target/bridge.jar
// and its AOT cache, the warm client) and scripts/kv.js with its manifest and proto into a
// directory every user may read, laid out as the repository is: a fresh clone
// may sit under a directory only its owner can enter (CI's, or /root), which
// another user could not run the plugin from. Returns the copy's root.
func installCopy(t *testing.T) string {
	t.Helper()
	bridgeLauncher(t)
	root := repoRoot(t)
	dir, err := os.MkdirTemp("", "bridge-install-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	// In the warm pass a plugin launched from the copy starts a warm runtime of the copy, often as another user: it
	// goes with the copy (cleanups run last first), not at its idle time with its jar gone.
	t.Cleanup(func() { stopWarmRuntimesOf(t, filepath.Join(dir, "bridge", "target", "bridge.jar")) })
	for _, f := range []struct {
		path string
		mode os.FileMode
	}{
		{"bridge/bin/bridgejs", 0o755},
		{"bridge/target/bridge.jar", 0o644},
		{"bridge/target/bridge.aot", 0o644},
		{"bridge/target/bridgejs-warm", 0o755},
		{"scripts/kv.js", 0o644},
		{"scripts/kv.plugin.json", 0o644},
		{"proto/kv.proto", 0o644},
	} {
		from := filepath.Join(root, f.path)
		if (f.path == "bridge/target/bridge.aot" || f.path == "bridge/target/bridgejs-warm") && !fileExists(from) {
			continue // built without the AOT cache (BRIDGE_AOT=0 builds): the launcher runs without it
		}
		copyFile(t, from, filepath.Join(dir, f.path), f.mode)
	}
	// MkdirTemp makes the directory 0700; every directory of the copy must be enterable by anyone.
	if err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || !info.IsDir() {
			return err
		}
		return os.Chmod(path, 0o755)
	}); err != nil {
		t.Fatal(err)
	}
	for d := filepath.Dir(dir); d != "/"; d = filepath.Dir(d) {
		if info, err := os.Stat(d); err != nil || info.Mode().Perm()&0o001 == 0 {
			t.Fatalf("%s (above the copy in the temp dir) is not enterable by other users: %v; set TMPDIR to another directory", d, err)
		}
	}
	return dir
}

// stopWarmRuntimesOf sends SIGTERM to every warm runtime serving from jar,
// whoever runs it, and waits up to 10 s for them to leave.
func stopWarmRuntimesOf(t *testing.T, jar string) {
	t.Helper()
	find := func() []int {
		var pids []int
		entries, err := os.ReadDir("/proc")
		if err != nil {
			return nil
		}
		for _, e := range entries {
			pid, err := strconv.Atoi(e.Name())
			if err != nil {
				continue
			}
			cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
			if err != nil {
				continue
			}
			args := strings.Split(strings.TrimRight(string(cmdline), "\x00"), "\x00")
			for i := 0; i+3 < len(args); i++ {
				if args[i] == "-jar" && args[i+1] == jar && args[i+2] == "warm" && args[i+3] == "runtime" {
					pids = append(pids, pid)
				}
			}
		}
		return pids
	}
	for _, pid := range find() {
		if err := syscall.Kill(pid, syscall.SIGTERM); err != nil && err != syscall.ESRCH {
			t.Errorf("stopping the warm runtime %d of %s: %v", pid, jar, err)
		}
	}
	for deadline := time.Now().Add(10 * time.Second); len(find()) > 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Errorf("the warm runtimes %v of %s did not leave within 10 s of SIGTERM", find(), jar)
			return
		}
	}
}

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	// The JVM refuses an AOT cache whose jar's modification time changed: keep it, as an install does.
	info, err := in.Stat()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(to, info.ModTime(), info.ModTime()); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(to, mode); err != nil { // the umask may have taken bits away
		t.Fatal(err)
	}
}

// plainStderrLines returns the lines of a plugin's raw stderr that are not
// hclog JSON lines: a host shows them only as debug text, without level.
func plainStderrLines(stderr string) []string {
	var plain []string
	for _, e := range parseStderr(stderr) {
		if e.level == "" {
			plain = append(plain, e.message)
		}
	}
	return plain
}

// TestAnotherUserUnwritableHome: a host running as root starts the plugin as
// nobody:nogroup (SysProcAttr.Credential), with HOME its own unreadable
// directory and a working directory owned by root that nobody may not write.
// The plugin starts (the kept stdout is written as inherited, not reopened),
// answers calls, says where a refused write went and how to choose another
// directory (--files-dir), and writes nothing but hclog JSON lines on stderr:
// no Truffle warning about its resource cache, no JVM warning.
func TestAnotherUserUnwritableHome(t *testing.T) {
	bridgeLauncher(t) // skips when the suite runs against another plugin
	if os.Geteuid() != 0 {
		t.Fatalf("this test starts the plugin as another user (uid %d), which needs root; run the suite as root (CI does)", nobody)
	}
	install := installCopy(t)
	home, err := os.MkdirTemp("", "bridge-home-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(home) })
	if err := os.Chmod(home, 0o700); err != nil { // root's, unreadable by nobody, as /root is
		t.Fatal(err)
	}
	workDir, err := os.MkdirTemp("", "bridge-workdir-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(workDir) })
	if err := os.Chmod(workDir, 0o755); err != nil { // root's: nobody may enter, not write
		t.Fatal(err)
	}
	if u, err := user.LookupId("65534"); err == nil {
		t.Logf("running the plugin as uid %d (%s)", nobody, u.Username)
	}

	// The host's own environment, with its HOME; no cache variable chooses a place for the plugin.
	env := []string{"-u", "XDG_CACHE_HOME", "-u", "BRIDGE_CACHE_DIR", "HOME=" + home, "BRIDGE_LOG_LEVEL=debug"}
	cmdline := "exec env " + strings.Join(quoteAll(env), " ") + " " +
		shellQuote(filepath.Join(install, "bridge", "bin", "bridgejs")) + " " + shellQuote(filepath.Join(install, "scripts", "kv.js"))
	stderr := &logsink.Buffer{}
	p := startPlugin(t, startOpts{
		cmdline:    cmdline,
		dir:        workDir,
		credential: &syscall.Credential{Uid: nobody, Gid: nobody},
		stderr:     stderr,
	})

	// Put writes kv_<key> into the working directory, which nobody may not write.
	err = p.put("another-user", []byte("v"))
	if st, _ := status.FromError(err); err == nil || !strings.Contains(st.Message(), "EACCES") ||
		!strings.Contains(st.Message(), "the directory "+workDir+" is not writable by user ") ||
		!strings.Contains(st.Message(), "--files-dir "+workDir) {
		t.Errorf("put into a working directory nobody may not write: got %v, want EACCES naming %s and --files-dir", err, workDir)
	} else {
		t.Logf("put: %v", err)
	}
	// Get answers: the plugin serves.
	if _, err := p.get("missing"); status.Code(err) != codes.NotFound {
		t.Errorf("get of a key never stored: got %v, want NotFound", err)
	}

	p.Client.Kill()
	if plain := plainStderrLines(stderr.String()); len(plain) > 0 {
		t.Errorf("the plugin wrote %d lines that are not hclog JSON on stderr:\n%s", len(plain), strings.Join(plain, "\n"))
	}
	// The caches fell back, said once at debug.
	if os.Getenv("BRIDGE_WARM") == "1" {
		// The caches are then the warm runtime's, chosen when it started, and said in its own log.
		return
	}
	var fallback []logEntry
	for _, e := range parseStderr(stderr.String()) {
		if strings.Contains(e.message, "cache directories not usable") {
			fallback = append(fallback, e)
		}
	}
	if len(fallback) != 1 || fallback[0].level != "debug" {
		t.Errorf("want one debug line saying the caches fell back, got %v; stderr:\n%s", fallback, stderr.String())
	}
}

// TestLauncherThroughSymlinkWithEmptyEnvironment: the launcher, installed as
// a symbolic link (to a relative link to bin/bridgejs), finds the jar beside
// the real file and starts with an environment holding only the variables
// go-plugin's host adds: no PATH, HOME or JAVA_HOME.
func TestLauncherThroughSymlinkWithEmptyEnvironment(t *testing.T) {
	launcher := bridgeLauncher(t)
	links := t.TempDir()
	if err := os.MkdirAll(filepath.Join(links, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(links, "lib"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(launcher, filepath.Join(links, "lib", "bridgejs")); err != nil {
		t.Fatal(err)
	}
	// The name a user puts on PATH, a relative link to the absolute one.
	link := filepath.Join(links, "bin", "bridgejs")
	if err := os.Symlink("../lib/bridgejs", link); err != nil {
		t.Fatal(err)
	}

	// go-plugin v1.0.1 appends the host's whole environment to cmd.Env, so the
	// empty one is made by env -i, keeping only go-plugin's own variables.
	keep := []string{kvrpc.Handshake.MagicCookieKey, "PLUGIN_MIN_PORT", "PLUGIN_MAX_PORT", "PLUGIN_PROTOCOL_VERSIONS"}
	var b strings.Builder
	b.WriteString("exec /usr/bin/env -i")
	for _, name := range keep {
		b.WriteString(` "` + name + `=$` + name + `"`)
	}
	const defaultJDK = "/usr/lib/jvm/temurin-25-jdk-amd64"
	if !fileExists(filepath.Join(defaultJDK, "bin", "java")) {
		// Without it only BRIDGE_JAVA_HOME can say where a JDK 25 is.
		jdk := os.Getenv("JAVA_HOME")
		t.Logf("no JDK at %s, the launcher's default: BRIDGE_JAVA_HOME=%s", defaultJDK, jdk)
		b.WriteString(" " + shellQuote("BRIDGE_JAVA_HOME="+jdk))
	}
	b.WriteString(" " + shellQuote(link) + " " + shellQuote(filepath.Join(repoRoot(t), "scripts", "kv.js")))
	stderr := &logsink.Buffer{}
	p := startPlugin(t, startOpts{cmdline: b.String(), stderr: stderr})

	p.mustPut("symlink-key", []byte("v"))
	p.checkStored("symlink-key", []byte("v"), p.mustGet("symlink-key"))
	p.Client.Kill()
	if plain := plainStderrLines(stderr.String()); len(plain) > 0 {
		t.Errorf("the plugin wrote %d lines that are not hclog JSON on stderr:\n%s", len(plain), strings.Join(plain, "\n"))
	}
}

func quoteAll(words []string) []string {
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = shellQuote(w)
	}
	return quoted
}
