package e2e

// The broker example's host command (host/cmd/callback), as README.md
// shows it.

import (
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestCallbackHostCommandAsTheReadmeShowsIt(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "callback")
	if out, err := exec.Command("go", "build", "-o", bin, "bridge/host/cmd/callback").CombinedOutput(); err != nil {
		t.Fatalf("go build bridge/host/cmd/callback: %v\n%s", err, out)
	}
	for _, tc := range []struct {
		args   []string
		stdout string
	}{
		{[]string{"put", "apples", "3", "4"}, "apples = 3 (added 3 with the host's AddHelper, broker id 1)\n" +
			"apples = 7 (added 4 with the host's AddHelper, broker id 2)\nget apples: 7\n"},
		{[]string{"add", "1", "2", "3"}, "total 6, running [1 3 6], 1+...+6 = 21\n"},
		{[]string{"offer", "plugin", "20", "22"}, "Sum(20, 22) = 42 by plugin (broker id 1)\nRange(20, 22) = [20 21 22]\n" +
			"Total(20, 22) = 42\nRunning: +20 = 20\nRunning: +22 = 42\n"},
	} {
		cmd := exec.Command(bin, tc.args...)
		cmd.Dir = t.TempDir()
		cmd.Env = append(cleanEnv(), "CALLBACK_PLUGIN="+callbackCmdline(t))
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		killGroup(cmd)
		if err != nil || stdout.String() != tc.stdout || stderr.String() != "" {
			t.Errorf("callback %s: %v\nstdout %q, want %q\nstderr %q, want nothing",
				strings.Join(tc.args, " "), err, stdout.String(), tc.stdout, stderr.String())
		}
	}
}
