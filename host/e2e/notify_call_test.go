package e2e

// The webhook example through `bridgejs call`, without a host: the same
// grants, from the manifest and from the command line.

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"
)

// callNotify runs `bridgejs call [OPTIONS] scripts/notify.js METHOD REQUEST`
// with env added to the test's, and returns its exit code, stdout and stderr.
func callNotify(t *testing.T, env []string, method, request string, options ...string) (int, string, string) {
	t.Helper()
	args := append([]string{"call"}, notifyArgs(t, options...)...)
	return runCmdline(t, bridgeCmdline(t, nil, append(args, method, request)...), env, 2*time.Minute)
}

func TestNotifyCallSendsJSON(t *testing.T) {
	hook := startWebhook(t)
	code, stdout, stderr := callNotify(t, notifySecrets(), "Send",
		`{"endpoint": "`+hook.endpoint()+`", "channel": "ops", "text": "hello"}`, "--allow-net="+hook.hostPort())
	if code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	var reply struct {
		ID, Receipt string
		Status      int
	}
	if err := json.Unmarshal([]byte(stdout), &reply); err != nil {
		t.Fatalf("stdout %q: %v", stdout, err)
	}
	if reply.Status != 200 || reply.Receipt != "r-1" || !uuidV4.MatchString(reply.ID) {
		t.Errorf("reply: %+v", reply)
	}
	got := hook.received()
	if len(got) != 1 || got[0].Header.Get("Authorization") != "Bearer "+notifyToken || got[0].Header.Get("X-Request-Id") != reply.ID {
		t.Errorf("the webhook got %+v", got)
	}
}

func TestNotifyCallStreamsEvents(t *testing.T) {
	hook := startWebhook(t)
	go func() {
		hook.events <- `{"type":"opened","data":"ZGItMQ=="}` + "\n"
		hook.events <- `{"type":"closed"}` + "\n"
		close(hook.events)
	}()
	code, stdout, stderr := callNotify(t, nil, "Watch", `{"endpoint": "`+hook.endpoint()+`", "channel": "ops"}`,
		"--allow-net="+hook.hostPort())
	var events []string
	for _, line := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
		var ev struct{ Type, Data string }
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		events = append(events, ev.Type+" "+ev.Data)
	}
	if got := strings.Join(events, ", "); code != 0 || got != "opened ZGItMQ==, closed " {
		t.Fatalf("exit %d, events %q, want \"opened ZGItMQ==, closed \"\nstdout: %s\nstderr: %s", code, got, stdout, stderr)
	}
}

func TestNotifyCallDeniedNamesThePermission(t *testing.T) {
	hook := startWebhook(t)
	code, stdout, stderr := callNotify(t, nil, "Send", `{"endpoint": "`+hook.endpoint()+`", "channel": "ops", "text": "x"}`)
	want := regexp.MustCompile(`(?m)^PERMISSION_DENIED: fetch ` + regexp.QuoteMeta(hook.endpoint()+
		`channels/ops/messages: denied: add "127.0.0.1" to permissions.net in notify.plugin.json`) + `$`)
	if code != 1 || stdout != "" || !want.MatchString(stderr) {
		t.Fatalf("exit %d, stdout %q, stderr:\n%s\nwant exit 1 and %q", code, stdout, stderr, want)
	}
	if n := hook.connections(); n != 0 {
		t.Errorf("the webhook got %d connections, want 0", n)
	}
}

func TestNotifyCallEnvGrantedOrNot(t *testing.T) {
	t.Run("granted", func(t *testing.T) {
		code, stdout, stderr := callNotify(t, notifySecrets(), "Sign", `{"body": "what do ya want for nothing?"}`)
		var reply struct{ Signature string }
		if err := json.Unmarshal([]byte(stdout), &reply); code != 0 || err != nil {
			t.Fatalf("exit %d, stdout %q (%v), stderr:\n%s", code, stdout, err, stderr)
		}
		if want := "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"; reply.Signature != want {
			t.Errorf("signature: got %s, want %s", reply.Signature, want)
		}
	})
	t.Run("not granted", func(t *testing.T) {
		code, stdout, stderr := callNotify(t, notifySecrets(), "Sign", `{"body": "abc"}`, "--manifest", manifestWithoutPermissions(t))
		if code != 1 || stdout != "" || !strings.HasSuffix(strings.TrimSpace(stderr), "FAILED_PRECONDITION: NOTIFY_SECRET is not set") {
			t.Fatalf("exit %d, stdout %q, stderr:\n%s", code, stdout, stderr)
		}
		if n := strings.Count(stderr, `add "NOTIFY_SECRET" to permissions.env in notify.plugin.json`); n != 1 {
			t.Errorf("warnings naming NOTIFY_SECRET: %d, want 1; stderr:\n%s", n, stderr)
		}
		if strings.Contains(stderr, notifySecret) {
			t.Errorf("the secret's value is on stderr:\n%s", stderr)
		}
	})
	t.Run("--allow-env", func(t *testing.T) {
		code, stdout, stderr := callNotify(t, notifySecrets(), "Sign", `{"body": "abc"}`,
			"--manifest", manifestWithoutPermissions(t), "--allow-env=NOTIFY_SECRET")
		var reply struct{ Signature string }
		if err := json.Unmarshal([]byte(stdout), &reply); err != nil || code != 0 ||
			reply.Signature != "sha256="+hmacHex(notifySecret, []byte("abc")) || strings.Contains(stderr, "permissions.env") {
			t.Fatalf("exit %d, stdout %q, stderr:\n%s", code, stdout, stderr)
		}
	})
}
