package e2e

// The streaming example's host command (host/cmd/streams), as README.md
// shows it: items on stdout as they come, header and trailer on stderr.

import (
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestStreamsHostCommandAsTheReadmeShowsIt(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "streams")
	if out, err := exec.Command("go", "build", "-o", bin, "bridge/host/cmd/streams").CombinedOutput(); err != nil {
		t.Fatalf("go build bridge/host/cmd/streams: %v\n%s", err, out)
	}
	for _, tc := range []struct {
		args           []string
		stdout, stderr string
	}{
		{[]string{"count", "2"}, "item 1 (n=1)\nitem 2 (n=2)\n", "header x-stream: 2\ntrailer x-items: 2\n"},
		{[]string{"sum", "1000"}, "count 1000, total 500500\n", ""},
		{[]string{"echo", "a", "b"}, "echo 1: a\necho 2: b\n", ""},
		{[]string{"get", "t"}, "streams.Inventory/Get: inventory:t\nstreams.Orders/Get: orders:t\n", ""},
	} {
		cmd := exec.Command(bin, tc.args...)
		cmd.Dir = t.TempDir()
		cmd.Env = append(cleanEnv(), "STREAMS_PLUGIN="+streamsCmdline(t))
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		killGroup(cmd)
		if err != nil || stdout.String() != tc.stdout || stderr.String() != tc.stderr {
			t.Errorf("streams %s: %v\nstdout %q, want %q\nstderr %q, want %q",
				strings.Join(tc.args, " "), err, stdout.String(), tc.stdout, stderr.String(), tc.stderr)
		}
	}
}
