package e2e

// The README's dev-mode walk-through, run as written: `kv shell` keeps one
// plugin session while the script is edited, broken and fixed.

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"bridge/host/logsink"
)

// buildKv builds the kv host into a temp dir (the suite runs with the host's
// GOPATH settings, host/env.sh).
func buildKv(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "kv")
	out, err := exec.Command("go", "build", "-o", bin, "bridge/host/cmd/kv").CombinedOutput()
	if err != nil {
		t.Fatalf("go build bridge/host/cmd/kv: %v\n%s", err, out)
	}
	return bin
}

// shellSession is a running `kv shell`.
type shellSession struct {
	t      *testing.T
	stdin  io.WriteCloser
	lines  chan string     // stdout, a line at a time
	stderr *logsink.Buffer // the host's log and the shell's messages
	done   chan error
}

func startShell(t *testing.T, env ...string) *shellSession {
	t.Helper()
	cmd := exec.Command(buildKv(t), "shell")
	cmd.Dir = t.TempDir()
	cmd.Env = append(cleanEnv(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	s := &shellSession{t: t, lines: make(chan string, 100), stderr: &logsink.Buffer{}, done: make(chan error, 1)}
	cmd.Stderr = s.stderr
	var err error
	if s.stdin, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		killGroup(cmd)
		if t.Failed() {
			t.Logf("kv shell's stderr:\n%s", s.stderr.String())
		}
	})
	go func() {
		scanner := bufio.NewScanner(stdout)
		for scanner.Scan() {
			s.lines <- scanner.Text()
		}
		close(s.lines)
		s.done <- cmd.Wait()
	}()
	return s
}

func (s *shellSession) send(command string) {
	s.t.Helper()
	if _, err := io.WriteString(s.stdin, command+"\n"); err != nil {
		s.t.Fatalf("writing %q to kv shell: %v", command, err)
	}
}

// read returns the next n lines of stdout.
func (s *shellSession) read(n int) []string {
	s.t.Helper()
	var got []string
	for len(got) < n {
		select {
		case line, ok := <-s.lines:
			if !ok {
				s.t.Fatalf("kv shell's stdout ended after %q", got)
			}
			got = append(got, line)
		case <-time.After(reloadGuard):
			s.t.Fatalf("kv shell printed %q and then nothing for %v", got, reloadGuard)
		}
	}
	return got
}

// putGet stores value under key and returns what get prints (three lines:
// the value, an empty line and the suffix's "Written from ..." line).
func (s *shellSession) putGet(key, value string) string {
	s.t.Helper()
	s.send("put " + key + " " + value)
	s.send("get " + key)
	return strings.Join(s.read(3), "\n")
}

func (s *shellSession) waitStderr(texts ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(reloadGuard)
	for {
		for _, line := range strings.Split(s.stderr.String(), "\n") {
			if containsAll(line, texts) {
				return line
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("no line of kv shell's stderr holds all of %q after %v", texts, reloadGuard)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestKvShellInDevMode: in one `kv shell` session, an edited script serves
// the next put/get; a broken one is an ERROR on the host's stderr while the
// old version answers; the fixed one serves; quit ends the session with 0.
func TestKvShellInDevMode(t *testing.T) {
	bridgeLauncher(t)
	script := kvPlugin(t, "kv", kvScript("", ""))
	s := startShell(t, "KV_PROTO=grpc", "KV_LOG_LEVEL=info", "BRIDGE_DEV=1",
		"KV_PLUGIN="+bridgeCmdline(t, nil, script))

	original := readFile(t, script)
	if got, want := s.putGet("hello", "world"), "world"+expectedSuffix(); got != want {
		t.Fatalf("put/get hello: got %q, want %q", got, want)
	}
	s.waitStderr("[INFO]", "dev mode: watching")

	edited := strings.Replace(original, "Written from", "Edited in", 1)
	writeFile(t, script, edited)
	pollShell(t, s, "Edited in")
	s.waitStderr("[INFO]", "reloaded kv.js in ")

	writeFile(t, script, strings.Replace(edited, "return { value: fs.readFileSync(file) };", "return { value: fs.readFileSync(file) ;", 1))
	s.waitStderr("[ERROR]", "reload after a change of kv.js failed", script+":")
	if got := s.putGet("hello", "still"); !strings.Contains(got, "\nEdited in ") {
		t.Errorf("after the broken edit: got %q, want the previous version's answer", got)
	}

	writeFile(t, script, strings.Replace(original, "Written from", "Fixed in", 1))
	pollShell(t, s, "Fixed in")

	s.send("get nothing-stored-here")
	s.send("bogus")
	s.waitStderr("kv: get \"nothing-stored-here\"", "NotFound")
	s.waitStderr("kv: not a command: \"bogus\"")
	s.send("quit")
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("kv shell after quit: %v, want exit code 0", err)
		}
	case <-time.After(reloadGuard):
		t.Fatalf("kv shell still running %v after quit", reloadGuard)
	}
}

// pollShell puts and gets until the answer has the suffix the new version
// writes.
func pollShell(t *testing.T, s *shellSession, writer string) {
	t.Helper()
	deadline := time.Now().Add(reloadGuard)
	for {
		got := s.putGet("hello", "again")
		if strings.Contains(got, "\n"+writer+" ") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v kv shell still prints %q, want the %q version", reloadGuard, got, writer)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
