package e2e

// The webhook example (proto/notify.proto, scripts/notify.js) through a real
// go-plugin host, against a loopback webhook the test starts
// (notify_webhook_test.go): fetch (JSON, headers, status codes, a streamed
// body, redirects, timeouts, cancellation, concurrency), permissions (net and
// env), Web Crypto against known vectors, and fs.

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"bridge/host/notifyrpc"
)

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// expectStatus checks that err is a gRPC status with code and a message holding each of want.
func expectStatus(t *testing.T, what string, err error, code codes.Code, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: succeeded, want %v", what, code)
	}
	st, _ := status.FromError(err)
	if st.Code() != code || !containsAll(st.Message(), want) {
		t.Fatalf("%s: got %v %q, want %v with %q", what, st.Code(), st.Message(), code, want)
	}
}

// expectDenial checks that err is a denied fetch the handler let escape: the
// bridge fails such a call with PERMISSION_DENIED, its message holding each of
// want.
func expectDenial(t *testing.T, what string, err error, want ...string) {
	t.Helper()
	expectStatus(t, what, err, codes.PermissionDenied, want...)
}

func TestNotifySendPostsSignedJSONAndLogsIt(t *testing.T) {
	hook, p, notifier, ctx := startGrantedNotify(t)

	var ids []string
	for _, channel := range []string{"ops", "audit", "ops"} {
		reply, err := notifier.Send(ctx, &notifyrpc.SendRequest{Endpoint: hook.endpoint(), Channel: channel, Text: "disk full on db-1"})
		if err != nil {
			t.Fatalf("Send to %s: %v", channel, err)
		}
		if reply.Status != 200 || reply.Receipt != fmt.Sprintf("r-%d", len(ids)+1) || !uuidV4.MatchString(reply.Id) {
			t.Fatalf("Send to %s: got %+v, want status 200, receipt r-%d and a version 4 UUID", channel, reply, len(ids)+1)
		}
		ids = append(ids, reply.Id)
	}
	if ids[0] == ids[1] || ids[1] == ids[2] || ids[0] == ids[2] {
		t.Errorf("delivery ids repeat: %v", ids)
	}

	got := hook.received()
	if len(got) != 3 {
		t.Fatalf("the webhook got %d requests, want 3", len(got))
	}
	d := got[0]
	if d.Method != "POST" || d.Path != "/v1/channels/ops/messages" {
		t.Errorf("request: %s %s, want POST /v1/channels/ops/messages", d.Method, d.Path)
	}
	for name, want := range map[string]string{
		"Content-Type":     "application/json",
		"Authorization":    "Bearer " + notifyToken,
		"X-Request-Id":     ids[0],
		"X-Signature":      "sha256=" + hmacHex(notifySecret, d.Body),
		"X-Content-Sha256": sha256Base64(d.Body),
	} {
		if got := d.Header.Get(name); got != want {
			t.Errorf("header %s: got %q, want %q", name, got, want)
		}
	}
	var body struct{ ID, Channel, Text, Sent_At string }
	if err := json.Unmarshal(d.Body, &body); err != nil {
		t.Fatalf("body %q: %v", d.Body, err)
	}
	if body.ID != ids[0] || body.Channel != "ops" || body.Text != "disk full on db-1" {
		t.Errorf("body: got %+v", body)
	}
	if _, err := time.Parse(time.RFC3339, body.Sent_At); err != nil {
		t.Errorf("body.sent_at: %v", err)
	}

	// fs: one appended line per delivery, listed and measured by History
	history, err := notifier.History(ctx, &notifyrpc.HistoryRequest{})
	if err != nil {
		t.Fatalf("History: %v", err)
	}
	if len(history.Logs) != 2 || history.Logs[0].Channel != "audit" || history.Logs[1].Channel != "ops" {
		t.Fatalf("History: got %+v, want audit and ops", history.Logs)
	}
	file, err := os.ReadFile(filepath.Join(p.Dir, "deliveries", "ops.log"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(file), "\n"), "\n")
	ops := history.Logs[1]
	if ops.Deliveries != 2 || ops.Size != uint64(len(file)) || len(lines) != 2 || ops.Last != lines[1] {
		t.Errorf("History ops: got %+v, file %q", ops, file)
	}
	if !strings.HasPrefix(lines[0], "20") || !strings.HasSuffix(lines[0], " "+ids[0]+" 200 r-1") ||
		!strings.HasSuffix(lines[1], " "+ids[2]+" 200 r-3") {
		t.Errorf("deliveries/ops.log: %q", file)
	}
}

func TestNotifyStatusCodesBecomeGrpcStatuses(t *testing.T) {
	hook, p, notifier, ctx := startGrantedNotify(t)
	_, err := notifier.Send(ctx, &notifyrpc.SendRequest{Endpoint: hook.endpoint(), Channel: "busy", Text: "x"})
	expectStatus(t, "Send to busy", err, codes.Unavailable, "/v1/channels/busy/messages: 503 try later")
	_, err = notifier.Send(ctx, &notifyrpc.SendRequest{Endpoint: hook.endpoint(), Channel: "gone", Text: "x"})
	expectStatus(t, "Send to gone", err, codes.FailedPrecondition, "/v1/channels/gone/messages: 404 no such channel")
	_, err = notifier.Send(ctx, &notifyrpc.SendRequest{Endpoint: hook.endpoint(), Channel: "../etc", Text: "x"})
	expectStatus(t, "Send to ../etc", err, codes.InvalidArgument, `channel "../etc"`)
	if n := len(hook.received()); n != 2 {
		t.Errorf("the webhook got %d requests, want 2", n)
	}
	if fileExists(filepath.Join(p.Dir, "deliveries")) {
		t.Errorf("failed deliveries were logged")
	}
}

// Each event reaches the host while the webhook's response is still open, and
// a line split across chunks is read whole.
func TestNotifyWatchStreamsTheBodyAsItComes(t *testing.T) {
	hook, _, notifier, ctx := startGrantedNotify(t)
	stream, err := notifier.Watch(ctx, &notifyrpc.WatchRequest{Endpoint: hook.endpoint(), Channel: "ops"})
	if err != nil {
		t.Fatalf("Watch: %v", err)
	}
	send := func(chunk string) {
		select {
		case hook.events <- chunk:
		case <-time.After(streamGuard):
			t.Fatalf("the plugin did not read the events (chunk %q)", chunk)
		}
	}
	expect := func(typ, data string) {
		t.Helper()
		ev, err := stream.Recv()
		if err != nil {
			t.Fatalf("Recv, want %s: %v", typ, err)
		}
		if ev.Type != typ || string(ev.Data) != data {
			t.Fatalf("event: got %s %q, want %s %q", ev.Type, ev.Data, typ, data)
		}
	}
	b64 := base64.StdEncoding.EncodeToString
	send(`{"type":"opened","data":"` + b64([]byte("db-1")) + "\"}\n")
	expect("opened", "db-1")
	send(`{"type":"ack","da`)
	send(`ta":"` + b64([]byte{0, 1, 0xfe}) + "\"}\n" + `{"type":"closed"}` + "\n")
	expect("ack", "\x00\x01\xfe")
	expect("closed", "")
	close(hook.events)
	if ev, err := stream.Recv(); err != io.EOF {
		t.Fatalf("after the body ended: got %v, %v, want EOF", ev, err)
	}
	if got := hook.received(); len(got) != 1 || got[0].Method != "GET" || got[0].Header.Get("Authorization") != "Bearer "+notifyToken {
		t.Errorf("the webhook got %+v", got)
	}
}

// A redirect to a host not granted (the same address, another port) rejects
// naming what to add, and nothing connects to that host.
func TestNotifyRedirectToHostNotGrantedIsRefused(t *testing.T) {
	hook := startWebhook(t)
	other := startWebhook(t)
	hook.redirectTo = other.endpoint() + "channels/ops/messages"
	p, notifier, _ := startNotify(t, notifySecrets(), "--allow-net="+hook.hostPort())
	ctx, cancel := p.callCtx()
	defer cancel()
	_, err := notifier.Send(ctx, &notifyrpc.SendRequest{Endpoint: hook.endpoint(), Channel: "moved", Text: "x"})
	expectDenial(t, "Send to moved", err, "fetch "+hook.endpoint()+"channels/moved/messages: redirected to "+
		hook.redirectTo+`: denied: add "127.0.0.1" to permissions.net in notify.plugin.json`)
	if n := other.connections(); n != 0 {
		t.Errorf("the host not granted got %d connections, want 0", n)
	}
}

func TestNotifyTimeoutAbortsTheFetch(t *testing.T) {
	hook, _, notifier, ctx := startGrantedNotify(t)
	warmUpFetch(ctx, t, notifier, hook)
	start := time.Now()
	_, err := notifier.Send(ctx, &notifyrpc.SendRequest{Endpoint: hook.endpoint(), Channel: "slow", Text: "x", TimeoutMs: 1000})
	expectStatus(t, "Send to slow", err, codes.DeadlineExceeded, "/v1/channels/slow/messages: no answer within 1000 ms")
	waitFor(t, hook.arrived, streamGuard, "the request reaching the webhook")
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("the timeout took %v", took)
	}
	waitFor(t, hook.cancelled, streamGuard, "the webhook seeing its request cancelled")
}

// The host ending a call (cancelling it, or its deadline passing) aborts the
// fetch in flight: the webhook sees its request's context end.
func TestNotifyHostEndingTheCallAbortsItsFetch(t *testing.T) {
	hook, p, notifier, ctx := startGrantedNotify(t)
	warmUpFetch(ctx, t, notifier, hook)
	slow := &notifyrpc.SendRequest{Endpoint: hook.endpoint(), Channel: "slow", Text: "x", TimeoutMs: 600000}

	t.Run("cancel", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			_, err := notifier.Send(ctx, slow)
			done <- err
		}()
		waitFor(t, hook.arrived, streamGuard, "the request reaching the webhook")
		cancel()
		expectStatus(t, "the cancelled Send", <-done, codes.Canceled)
		waitFor(t, hook.cancelled, streamGuard, "the webhook seeing its request cancelled")
	})
	t.Run("deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
		defer cancel()
		_, err := notifier.Send(ctx, slow)
		expectStatus(t, "Send past its deadline", err, codes.DeadlineExceeded)
		waitFor(t, hook.arrived, streamGuard, "the request reaching the webhook")
		waitFor(t, hook.cancelled, streamGuard, "the webhook seeing its request cancelled")
	})
	t.Run("stream", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		stream, err := notifier.Watch(ctx, &notifyrpc.WatchRequest{Endpoint: hook.endpoint(), Channel: "ops"})
		if err != nil {
			t.Fatalf("Watch: %v", err)
		}
		hook.events <- `{"type":"opened"}` + "\n"
		if _, err := stream.Recv(); err != nil {
			t.Fatalf("Recv: %v", err)
		}
		cancel()
		waitFor(t, hook.cancelled, streamGuard, "the webhook seeing the event feed cancelled")
	})
	if fileExists(filepath.Join(p.Dir, "deliveries")) {
		t.Errorf("aborted deliveries were logged")
	}
}

// 16 fetches held in flight by the webhook do not hold up other calls: the
// JavaScript thread never waits on the network.
func TestNotifyConcurrentFetchesLeaveOtherCallsServed(t *testing.T) {
	const fetches = 16
	hook, _, notifier, ctx := startGrantedNotify(t)

	var wg sync.WaitGroup
	replies := make(chan *notifyrpc.SendReply, fetches)
	errs := make(chan error, fetches)
	for i := 0; i < fetches; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := notifier.Send(ctx, &notifyrpc.SendRequest{Endpoint: hook.endpoint(), Channel: "slow", Text: "x", TimeoutMs: 120000})
			if err != nil {
				errs <- err
				return
			}
			replies <- r
		}()
	}
	for i := 0; i < fetches; i++ {
		waitFor(t, hook.arrived, streamGuard, fmt.Sprintf("fetch %d of %d reaching the webhook", i+1, fetches))
	}
	for i := 0; i < 20; i++ {
		start := time.Now()
		reply, err := notifier.Sign(ctx, &notifyrpc.SignRequest{Body: "abc"})
		if err != nil || reply.BodySha256 != sha256Base64([]byte("abc")) {
			t.Fatalf("Sign while %d fetches are in flight: %v, %v", hook.slowInFlight(), reply, err)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("Sign %d took %v while %d fetches were in flight", i, took, hook.slowInFlight())
		}
	}
	if n := hook.slowInFlight(); n != fetches {
		t.Fatalf("%d fetches in flight at the webhook, want %d", n, fetches)
	}
	hook.release()
	wg.Wait()
	close(replies)
	close(errs)
	for err := range errs {
		t.Errorf("Send: %v", err)
	}
	ids := map[string]bool{}
	for r := range replies {
		ids[r.Id] = true
	}
	if len(ids) != fetches {
		t.Errorf("%d distinct replies, want %d", len(ids), fetches)
	}
}

// Known vectors, checked against the plugin's Web Crypto: HMAC-SHA256 (RFC
// 4231, test case 2: key "Jefe") and SHA-256 ("abc", FIPS 180-2).
func TestNotifySignMatchesKnownVectors(t *testing.T) {
	p, notifier, _ := startNotify(t, notifySecrets())
	ctx, cancel := p.callCtx()
	defer cancel()
	reply, err := notifier.Sign(ctx, &notifyrpc.SignRequest{Body: "what do ya want for nothing?"})
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	if want := "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"; reply.Signature != want {
		t.Errorf("HMAC-SHA256: got %s, want %s", reply.Signature, want)
	}
	reply, err = notifier.Sign(ctx, &notifyrpc.SignRequest{Body: "abc"})
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	abc, _ := hex.DecodeString("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
	if want := base64.StdEncoding.EncodeToString(abc); reply.BodySha256 != want {
		t.Errorf("SHA-256 of abc: got %s, want %s", reply.BodySha256, want)
	}
}

// Without permissions, a fetch is refused before connecting, naming the
// permission and the manifest, and a variable set in the plugin's environment
// reads as unset, with one warning naming the permission, never the value.
func TestNotifyWithoutPermissions(t *testing.T) {
	hook := startWebhook(t)
	manifest := manifestWithoutPermissions(t)

	t.Run("net", func(t *testing.T) {
		p, notifier, _ := startNotify(t, notifySecrets(), "--manifest", manifest)
		ctx, cancel := p.callCtx()
		defer cancel()
		_, err := notifier.Send(ctx, &notifyrpc.SendRequest{Endpoint: hook.endpoint(), Channel: "ops", Text: "x"})
		expectDenial(t, "Send", err, "fetch "+hook.endpoint()+"channels/ops/messages: denied: add",
			"to permissions.net in notify.plugin.json")
		if n := hook.connections(); n != 0 {
			t.Errorf("the webhook got %d connections, want 0", n)
		}
	})
	t.Run("env", func(t *testing.T) {
		p, notifier, stderr := startNotify(t, notifySecrets(), "--manifest", manifest, "--allow-net="+hook.hostPort())
		ctx, cancel := p.callCtx()
		defer cancel()
		for i := 0; i < 2; i++ {
			if _, err := notifier.Send(ctx, &notifyrpc.SendRequest{Endpoint: hook.endpoint(), Channel: "ops", Text: "x"}); err != nil {
				t.Fatalf("Send: %v", err)
			}
		}
		for _, d := range hook.received() {
			if len(d.Header["Authorization"]) > 0 || len(d.Header["X-Signature"]) > 0 {
				t.Errorf("sent with secrets not granted: %v", d.Header)
			}
		}
		_, err := notifier.Sign(ctx, &notifyrpc.SignRequest{Body: "abc"})
		expectStatus(t, "Sign", err, codes.FailedPrecondition, "NOTIFY_SECRET is not set")
		log := stderr.String()
		for _, name := range []string{"NOTIFY_TOKEN", "NOTIFY_SECRET"} {
			if n := strings.Count(log, `add \"`+name+`\" to permissions.env in notify.plugin.json`); n != 1 {
				t.Errorf("warnings naming %s: %d, want 1; stderr:\n%s", name, n, log)
			}
		}
		if strings.Contains(log, notifyToken) || strings.Contains(p.Logs.String(), notifyToken) {
			t.Errorf("the token's value is in the log:\n%s", log)
		}
	})
}

// warmUpFetch makes the plugin's first fetch (which loads and starts what fetch
// needs) before a test whose timing matters: a Send to a channel the webhook
// answers 404, which logs no delivery.
func warmUpFetch(ctx context.Context, t *testing.T, notifier notifyrpc.NotifierClient, hook *webhook) {
	t.Helper()
	_, err := notifier.Send(ctx, &notifyrpc.SendRequest{Endpoint: hook.endpoint(), Channel: "gone", Text: "warm-up"})
	expectStatus(t, "the warm-up Send", err, codes.FailedPrecondition, "404")
}

func hmacHex(key string, data []byte) string {
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write(data)
	return hex.EncodeToString(mac.Sum(nil))
}

func sha256Base64(data []byte) string {
	sum := sha256.Sum256(data)
	return base64.StdEncoding.EncodeToString(sum[:])
}
