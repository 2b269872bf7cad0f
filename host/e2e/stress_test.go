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

// kvMix is the workload of the stress tests: goroutines making Puts and Gets
// in random order, of keys they all share and keys of their own, every
// value stamped, every answer checked.
type kvMix struct {
	p      *plug
	shared []string
	h      *registerHistory
	errs   *errorList
	// maxSize bounds the values' payloads (0: stressValueSize).
	maxSize int
	// last[g][k]: goroutine g's last value put to its own key k (nil: none yet).
	last [][][]byte
}

const mixSharedKeys, mixOwnKeys = 4, 3

func newKVMix(p *plug, goroutines int, errs *errorList) *kvMix {
	m := &kvMix{p: p, h: newRegisterHistory(), errs: errs, last: make([][][]byte, goroutines)}
	for i := 0; i < mixSharedKeys; i++ {
		m.shared = append(m.shared, fmt.Sprintf("shared-%d", i))
	}
	for g := range m.last {
		m.last[g] = make([][]byte, mixOwnKeys)
	}
	return m
}

func ownKey(g, k int) string {
	return fmt.Sprintf("own-%02d-%d", g, k)
}

func (m *kvMix) size(rnd *mrand.Rand) int {
	if m.maxSize > 0 {
		return rnd.Intn(m.maxSize + 1)
	}
	return stressValueSize(rnd)
}

// step is goroutine g's call number seq: a Put or a Get, of a shared key or
// of one of its own.
func (m *kvMix) step(g, seq int, rnd *mrand.Rand) {
	switch op := rnd.Intn(10); {
	case op < 3:
		s := stamp{m.shared[rnd.Intn(len(m.shared))], g, seq}
		value := stampedValue(rnd, s, m.size(rnd))
		sp := m.h.beginPut(s)
		if err := m.p.put(s.key, value); err != nil {
			m.errs.addf("put %v: %v", s, err)
			return
		}
		m.h.endPut(sp)
	case op < 6:
		key := m.shared[rnd.Intn(len(m.shared))]
		sp := span{invoke: m.h.now()}
		got, err := m.p.get(key)
		sp.done = m.h.now()
		if status.Code(err) == codes.NotFound {
			return // nobody has put it yet; the final reads check that it exists
		}
		if err != nil {
			m.errs.addf("get %s: %v", key, err)
			return
		}
		if s, err := readStamped(m.h, key, got); err != nil {
			m.errs.addf("get %s by goroutine %d: %v", key, g, err)
		} else {
			m.h.addRead(s, sp)
		}
	case op < 8:
		k := rnd.Intn(mixOwnKeys)
		s := stamp{ownKey(g, k), g, seq}
		value := stampedValue(rnd, s, m.size(rnd))
		if err := m.p.put(s.key, value); err != nil {
			m.errs.addf("put %v: %v", s, err)
			return
		}
		m.last[g][k] = value
	default:
		k := rnd.Intn(mixOwnKeys)
		key := ownKey(g, k)
		got, err := m.p.get(key)
		last := m.last[g][k]
		switch {
		case last == nil:
			if status.Code(err) != codes.NotFound {
				m.errs.addf("get %s before any put: got %s, %v; want NotFound", key, describe(got), err)
			}
		case err != nil:
			m.errs.addf("get %s: %v", key, err)
		case !bytes.Equal(got, append(append([]byte{}, last...), expectedSuffix()...)):
			m.errs.addf("get %s: got %s, want its owner's last put %s%q", key, describe(got), describe(last), expectedSuffix())
		}
	}
}

// run has every goroutine make n calls of step at once, and waits for them.
func (m *kvMix) run(t *testing.T, n int, seed int64) {
	t.Helper()
	start := time.Now()
	var wg sync.WaitGroup
	for g := range m.last {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			rnd := mrand.New(mrand.NewSource(seed + int64(g)))
			for seq := 0; seq < n; seq++ {
				m.step(g, seq, rnd)
			}
		}(g)
	}
	wg.Wait()
	t.Logf("%d goroutines × %d calls in %v", len(m.last), n, time.Since(start).Round(time.Millisecond))
}

// finish runs once every goroutine is done: each key must now hold a value
// no completed Put overwrote (for its own keys, the owner's last Put), and
// the whole history must be a register's. withFiles: the plugin stores
// kv_<key> files in its working dir, which must hold the same.
func (m *kvMix) finish(t *testing.T, withFiles bool) {
	t.Helper()
	for _, key := range m.shared {
		sp := span{invoke: m.h.now()}
		got := m.p.mustGet(key)
		sp.done = m.h.now()
		s, err := readStamped(m.h, key, got)
		if err != nil {
			t.Errorf("final get %s: %v", key, err)
			continue
		}
		m.h.addRead(s, sp)
		if !withFiles {
			continue
		}
		if file, err := os.ReadFile(filepath.Join(m.p.Dir, "kv_"+key)); err != nil || !bytes.Equal(file, got) {
			t.Errorf("file kv_%s: got %s (%v), want what Get returned, %s", key, describe(file), err, describe(got))
		}
	}
	for g := range m.last {
		for k, value := range m.last[g] {
			if value == nil {
				continue
			}
			key := ownKey(g, k)
			got := m.p.mustGet(key)
			if withFiles {
				m.p.checkStored(key, value, got)
			} else if want := append(append([]byte{}, value...), expectedSuffix()...); !bytes.Equal(got, want) {
				t.Errorf("final get %s: got %s, want its owner's last put %s", key, describe(got), describe(want))
			}
		}
	}
	for _, err := range m.h.check() {
		m.errs.add(err)
	}
	m.errs.report(t, "the register history of the shared keys")
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
	const goroutines = 16
	n := envInt(t, "BRIDGE_STRESS_N", 40)
	var errs errorList
	m := newKVMix(p, goroutines, &errs)
	m.run(t, n, 1000)
	errs.report(t, "concurrent calls")
	m.finish(t, true)
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
