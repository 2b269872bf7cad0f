package e2e

// Stress test of concurrent callers, for any KV plugin: many goroutines mix
// Puts and Gets of keys they share with keys of their own, with
// self-checking values (stamped_test.go).

import (
	"bytes"
	"fmt"
	mrand "math/rand"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// errorList collects the failures of many goroutines and reports the first
// few of them.
type errorList struct {
	mu   sync.Mutex
	errs []error
}

func (l *errorList) add(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.errs = append(l.errs, err)
}

func (l *errorList) addf(format string, args ...interface{}) {
	l.add(fmt.Errorf(format, args...))
}

// report fails the test with the first ten errors and their count.
func (l *errorList) report(t *testing.T, what string) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, err := range l.errs {
		if i == 10 {
			t.Errorf("... and %d more", len(l.errs)-10)
			break
		}
		t.Error(err)
	}
	if len(l.errs) > 0 {
		t.Fatalf("%d failures in %s", len(l.errs), what)
	}
}

// stressValueSize is mostly small, sometimes large enough to take several
// writes and reads of a file or a socket.
func stressValueSize(rnd *mrand.Rand) int {
	if rnd.Intn(10) == 0 {
		return 32<<10 + rnd.Intn(96<<10)
	}
	return rnd.Intn(2048)
}

// unsuffixed strips the plugin's suffix from a value read back.
func unsuffixed(got []byte) ([]byte, error) {
	suffix := expectedSuffix()
	if !bytes.HasSuffix(got, []byte(suffix)) {
		return nil, fmt.Errorf("value %s does not end with the plugin's suffix %q", describe(got), suffix)
	}
	return got[:len(got)-len(suffix)], nil
}

// TestSharedKeysStress: 16 goroutines each make BRIDGE_STRESS_N calls, Puts
// and Gets in random order, of 4 keys they all share and 3 keys of their
// own. Every Get of a shared key returns one whole value written to that key,
// and none that a completed Put had already overwritten before the Get
// began; every Get of an own key returns exactly the owner's last Put. At
// the end each key holds a value its last Puts allow, in the plugin's
// answers and in its files.
func TestSharedKeysStress(t *testing.T) {
	p := startPlugin(t, startOpts{})
	const goroutines, sharedKeys, ownKeys = 16, 4, 3
	n := envInt(t, "BRIDGE_STRESS_N", 40)
	shared := make([]string, sharedKeys)
	for i := range shared {
		shared[i] = fmt.Sprintf("shared-%d", i)
	}
	h := newRegisterHistory()
	var errs errorList
	// lastOwn[g][k]: goroutine g's last value put to its own key k (nil: none yet).
	lastOwn := make([][][]byte, goroutines)

	start := time.Now()
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		lastOwn[g] = make([][]byte, ownKeys)
		go func(g int, last [][]byte) {
			defer wg.Done()
			rnd := mrand.New(mrand.NewSource(int64(1000 + g)))
			for seq := 0; seq < n; seq++ {
				switch op := rnd.Intn(10); {
				case op < 3:
					s := stamp{shared[rnd.Intn(sharedKeys)], g, seq}
					value := stampedValue(rnd, s, stressValueSize(rnd))
					sp := h.beginPut(s)
					if err := p.put(s.key, value); err != nil {
						errs.addf("put %v: %v", s, err)
						continue
					}
					h.endPut(sp)
				case op < 6:
					key := shared[rnd.Intn(sharedKeys)]
					sp := span{invoke: h.now()}
					got, err := p.get(key)
					sp.done = h.now()
					if status.Code(err) == codes.NotFound {
						continue // nobody has put it yet; the final reads check that it exists
					}
					if err != nil {
						errs.addf("get %s: %v", key, err)
						continue
					}
					if s, err := readStamped(h, key, got); err != nil {
						errs.addf("get %s by goroutine %d: %v", key, g, err)
					} else {
						h.addRead(s, sp)
					}
				case op < 8:
					k := rnd.Intn(ownKeys)
					s := stamp{fmt.Sprintf("own-%02d-%d", g, k), g, seq}
					value := stampedValue(rnd, s, stressValueSize(rnd))
					if err := p.put(s.key, value); err != nil {
						errs.addf("put %v: %v", s, err)
						continue
					}
					last[k] = value
				default:
					k := rnd.Intn(ownKeys)
					key := fmt.Sprintf("own-%02d-%d", g, k)
					got, err := p.get(key)
					if last[k] == nil {
						if status.Code(err) != codes.NotFound {
							errs.addf("get %s before any put: got %s, %v; want NotFound", key, describe(got), err)
						}
						continue
					}
					if err != nil {
						errs.addf("get %s: %v", key, err)
					} else if want := append(append([]byte{}, last[k]...), expectedSuffix()...); !bytes.Equal(got, want) {
						errs.addf("get %s: got %s, want its owner's last put %s", key, describe(got), describe(want))
					}
				}
			}
		}(g, lastOwn[g])
	}
	wg.Wait()
	t.Logf("%d goroutines × %d calls in %v", goroutines, n, time.Since(start).Round(time.Millisecond))
	errs.report(t, "concurrent calls")

	// Every call has returned: each key must now hold a value no completed Put overwrote.
	for _, key := range shared {
		sp := span{invoke: h.now()}
		got := p.mustGet(key)
		sp.done = h.now()
		s, err := readStamped(h, key, got)
		if err != nil {
			t.Errorf("final get %s: %v", key, err)
			continue
		}
		h.addRead(s, sp)
		if file, err := os.ReadFile(filepath.Join(p.Dir, "kv_"+key)); err != nil || !bytes.Equal(file, got) {
			t.Errorf("file kv_%s: got %s (%v), want what Get returned, %s", key, describe(file), err, describe(got))
		}
	}
	for g := range lastOwn {
		for k, value := range lastOwn[g] {
			if value != nil {
				key := fmt.Sprintf("own-%02d-%d", g, k)
				p.checkStored(key, value, p.mustGet(key))
			}
		}
	}
	for _, err := range h.check() {
		errs.add(err)
	}
	errs.report(t, "the register history of the shared keys")
}

// readStamped checks a value read back from key: the plugin's suffix, one
// whole stamped value, of this key, registered by a Put.
func readStamped(h *registerHistory, key string, got []byte) (stamp, error) {
	value, err := unsuffixed(got)
	if err != nil {
		return stamp{}, err
	}
	s, err := parseStamped(value)
	if err != nil {
		return stamp{}, err
	}
	if s.key != key {
		return stamp{}, fmt.Errorf("got the value %v of another key", s)
	}
	if !h.written(s) {
		return stamp{}, fmt.Errorf("got %v, which no Put wrote", s)
	}
	return s, nil
}
