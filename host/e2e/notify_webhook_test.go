package e2e

// The webhook that the notify example (scripts/notify.js) talks to in the
// tests: an httptest server on loopback that records what reaches it and
// answers by channel.

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// delivery is one request that reached the webhook.
type delivery struct {
	Method, Path string
	Header       http.Header
	Body         []byte
}

// webhook answers POST /v1/channels/<channel>/messages by channel:
//
//	busy   503 "try later"
//	gone   404 "no such channel"
//	moved  307 to redirectTo
//	slow   once hold is closed (or the request is cancelled, which cancelled records)
//	other  200 {"receipt": "r-<n>"}
//
// and GET /v1/channels/<channel>/events with the lines sent to events, each
// flushed as it comes, until events is closed.
type webhook struct {
	t      *testing.T
	srv    *httptest.Server
	hold   chan struct{}
	events chan string
	// redirectTo is where "moved" sends the client.
	redirectTo string

	mu         sync.Mutex
	deliveries []delivery
	connects   int
	inFlight   int           // "slow" requests waiting for hold
	arrived    chan struct{} // gets a value as each "slow" request arrives
	cancelled  chan struct{} // gets a value as each "slow" request's context ends before hold
}

// startWebhook starts a webhook on 127.0.0.1, closed when the test ends.
func startWebhook(t *testing.T) *webhook {
	w := &webhook{t: t, hold: make(chan struct{}), events: make(chan string),
		arrived: make(chan struct{}, 64), cancelled: make(chan struct{}, 64)}
	w.srv = httptest.NewUnstartedServer(http.HandlerFunc(w.serve))
	w.srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			w.mu.Lock()
			w.connects++
			w.mu.Unlock()
		}
	}
	w.srv.Start()
	t.Cleanup(func() {
		w.release()
		w.srv.CloseClientConnections()
		w.srv.Close()
	})
	return w
}

// hostPort is the server's "127.0.0.1:<port>", the grant that reaches it.
func (w *webhook) hostPort() string { return strings.TrimPrefix(w.srv.URL, "http://") }

// endpoint is the base URL the plugin is given.
func (w *webhook) endpoint() string { return w.srv.URL + "/v1/" }

// release lets the held "slow" requests answer.
func (w *webhook) release() {
	w.mu.Lock()
	defer w.mu.Unlock()
	select {
	case <-w.hold:
	default:
		close(w.hold)
	}
}

func (w *webhook) received() []delivery {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]delivery(nil), w.deliveries...)
}

func (w *webhook) connections() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.connects
}

func (w *webhook) slowInFlight() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.inFlight
}

// waitFor waits for a value on ch, failing the test after timeout.
func waitFor(t *testing.T, ch <-chan struct{}, timeout time.Duration, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(timeout):
		t.Fatalf("%s: not within %v", what, timeout)
	}
}

func (w *webhook) serve(rw http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	w.mu.Lock()
	w.deliveries = append(w.deliveries, delivery{r.Method, r.URL.Path, r.Header.Clone(), body})
	n := len(w.deliveries)
	w.mu.Unlock()

	rest := strings.TrimPrefix(r.URL.Path, "/v1/channels/")
	channel, what := rest, ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		channel, what = rest[:i], rest[i+1:]
	}
	switch {
	case what == "events" && r.Method == http.MethodGet:
		w.stream(rw, r)
	case what != "messages" || r.Method != http.MethodPost:
		http.Error(rw, "no route "+r.Method+" "+r.URL.Path, http.StatusNotFound)
	case channel == "busy":
		http.Error(rw, "try later", http.StatusServiceUnavailable)
	case channel == "gone":
		http.Error(rw, "no such channel", http.StatusNotFound)
	case channel == "moved":
		http.Redirect(rw, r, w.redirectTo, http.StatusTemporaryRedirect)
	case channel == "slow":
		w.holdSlow(rw, r, n)
	default:
		answer(rw, n)
	}
}

func answer(rw http.ResponseWriter, n int) {
	rw.Header().Set("content-type", "application/json")
	_ = json.NewEncoder(rw).Encode(map[string]string{"receipt": fmt.Sprintf("r-%d", n)})
}

func (w *webhook) holdSlow(rw http.ResponseWriter, r *http.Request, n int) {
	w.mu.Lock()
	w.inFlight++
	w.mu.Unlock()
	defer func() {
		w.mu.Lock()
		w.inFlight--
		w.mu.Unlock()
	}()
	w.arrived <- struct{}{}
	select {
	case <-w.hold:
		answer(rw, n)
	case <-r.Context().Done():
		w.cancelled <- struct{}{}
	}
}

func (w *webhook) stream(rw http.ResponseWriter, r *http.Request) {
	rw.Header().Set("content-type", "application/x-ndjson")
	rw.WriteHeader(http.StatusOK)
	flusher := rw.(http.Flusher)
	flusher.Flush()
	for {
		select {
		case chunk, ok := <-w.events:
			if !ok {
				return
			}
			_, _ = io.WriteString(rw, chunk)
			flusher.Flush()
		case <-r.Context().Done():
			w.cancelled <- struct{}{}
			return
		}
	}
}
