package e2e

// Self-checking values and a register history for the stress tests: every
// value names the key and the write it belongs to and carries its payload's
// length and hash, so a value read back is either one whole value some Put
// wrote to that key, or provably torn, mixed or foreign.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	mrand "math/rand"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// stamp names one written value: its key, its writer and the writer's
// sequence number.
type stamp struct {
	key    string
	writer int
	seq    int
}

func (s stamp) String() string {
	return fmt.Sprintf("%s/w%d/s%d", s.key, s.writer, s.seq)
}

// stampedValue is "<key>|w<writer>|s<seq>|n<length>|<sha256 hex>|" followed
// by size random payload bytes (any bytes, '|' and NUL included).
func stampedValue(rnd *mrand.Rand, s stamp, size int) []byte {
	payload := make([]byte, size)
	rnd.Read(payload)
	return withStamp(s, payload)
}

// stampedText is a stamped value that is text without line breaks: its
// payload is random letters and digits.
func stampedText(rnd *mrand.Rand, s stamp, size int) []byte {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	payload := make([]byte, size)
	for i := range payload {
		payload[i] = alphabet[rnd.Intn(len(alphabet))]
	}
	return withStamp(s, payload)
}

func withStamp(s stamp, payload []byte) []byte {
	sum := sha256.Sum256(payload)
	header := fmt.Sprintf("%s|w%d|s%d|n%d|%x|", s.key, s.writer, s.seq, len(payload), sum)
	return append([]byte(header), payload...)
}

// parseStamped checks that b is one whole stamped value (header, length and
// hash agree) and returns its stamp.
func parseStamped(b []byte) (stamp, error) {
	parts := bytes.SplitN(b, []byte("|"), 6)
	if len(parts) != 6 {
		return stamp{}, fmt.Errorf("no stamp header in %s", describe(b))
	}
	var s stamp
	var n int
	var err error
	s.key = string(parts[0])
	for i, f := range []struct {
		prefix string
		into   *int
	}{{"w", &s.writer}, {"s", &s.seq}, {"n", &n}} {
		field := string(parts[1+i])
		if !strings.HasPrefix(field, f.prefix) {
			return stamp{}, fmt.Errorf("bad stamp header field %q in %s", field, describe(b))
		}
		if *f.into, err = strconv.Atoi(field[len(f.prefix):]); err != nil {
			return stamp{}, fmt.Errorf("bad stamp header field %q in %s", field, describe(b))
		}
	}
	payload := parts[5]
	if len(payload) != n {
		return s, fmt.Errorf("value %v is torn: %d payload bytes, its header says %d", s, len(payload), n)
	}
	if sum := sha256.Sum256(payload); hex.EncodeToString(sum[:]) != string(parts[4]) {
		return s, fmt.Errorf("value %v is torn or mixed: its payload does not match its SHA-256", s)
	}
	return s, nil
}

// span is when one call ran, in the history's logical time: invoked just
// before the RPC was sent, done just after its answer arrived (0 while it
// has not, or when it failed).
type span struct {
	invoke, done int64
}

// registerHistory records the Puts and Gets of keys that several goroutines
// share, to check afterwards what a linearizable last-writer-wins register
// allows, and only that: it does not assume any order between calls that
// overlap in time.
type registerHistory struct {
	clock  int64 // atomic
	mu     sync.Mutex
	writes map[stamp]*span
	byKey  map[string][]stamp
	reads  []readOp
}

type readOp struct {
	got stamp
	span
}

func newRegisterHistory() *registerHistory {
	return &registerHistory{writes: map[stamp]*span{}, byKey: map[string][]stamp{}}
}

func (h *registerHistory) now() int64 {
	return atomic.AddInt64(&h.clock, 1)
}

// beginPut registers a value before its Put is sent, so that no Get can
// see a value the history does not know.
func (h *registerHistory) beginPut(s stamp) *span {
	h.mu.Lock()
	defer h.mu.Unlock()
	sp := &span{invoke: h.now()}
	h.writes[s] = sp
	h.byKey[s.key] = append(h.byKey[s.key], s)
	return sp
}

// endPut marks a Put as done once its answer arrived.
func (h *registerHistory) endPut(sp *span) {
	t := h.now()
	h.mu.Lock()
	sp.done = t
	h.mu.Unlock()
}

// written reports whether s was registered by beginPut.
func (h *registerHistory) written(s stamp) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	_, ok := h.writes[s]
	return ok
}

// addRead records a Get of s.key that returned the whole value s.
func (h *registerHistory) addRead(s stamp, sp span) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.reads = append(h.reads, readOp{s, sp})
}

// check returns the reads no linearizable register could have answered:
// a value whose Put began only after the Get returned, or a value that was
// already overwritten, because some other Put of the key began after its Put
// was done and was itself done before the Get began.
func (h *registerHistory) check() []error {
	h.mu.Lock()
	defer h.mu.Unlock()
	var errs []error
	for _, r := range h.reads {
		w := h.writes[r.got]
		if w == nil {
			errs = append(errs, fmt.Errorf("get returned %v, which no Put wrote", r.got))
			continue
		}
		if w.invoke > r.done {
			errs = append(errs, fmt.Errorf("get returned %v, whose Put began only after the Get returned", r.got))
		}
		if w.done == 0 {
			continue // its Put failed: reported where it did
		}
		for _, other := range h.byKey[r.got.key] {
			o := h.writes[other]
			if o.done != 0 && o.invoke > w.done && o.done < r.invoke {
				errs = append(errs, fmt.Errorf("get returned %v although the Put of %v ran after it and ended before the Get began: a stale read or a lost write", r.got, other))
				break
			}
		}
	}
	return errs
}

// TestStampedValuesAndHistoryCheck pins the checks the stress tests rely
// on, without a plugin: what a torn or mixed value looks like, and which
// register histories are linearizable.
func TestStampedValuesAndHistoryCheck(t *testing.T) {
	rnd := mrand.New(mrand.NewSource(1))
	a := stampedValue(rnd, stamp{"k", 1, 2}, 300)
	b := stampedValue(rnd, stamp{"k", 3, 4}, 300)
	if s, err := parseStamped(a); err != nil || s != (stamp{"k", 1, 2}) {
		t.Errorf("whole value: got %v, %v", s, err)
	}
	mixed := append(append([]byte{}, a[:200]...), b[200:]...)
	for name, v := range map[string][]byte{
		"empty": {}, "truncated": a[:len(a)-1], "header only": a[:len(a)-300], "mixed": mixed,
	} {
		if s, err := parseStamped(v); err == nil {
			t.Errorf("%s value: parsed as %v, want an error", name, s)
		}
	}

	w := func(h *registerHistory, s stamp, invoke, done int64) {
		h.writes[s] = &span{invoke, done}
		h.byKey[s.key] = append(h.byKey[s.key], s)
	}
	x, y, z := stamp{"k", 1, 0}, stamp{"k", 2, 0}, stamp{"k", 3, 0}
	for _, c := range []struct {
		name  string
		read  readOp
		wrong bool
	}{
		{"either of two overlapping writes", readOp{x, span{5, 6}}, false},
		{"the other of two overlapping writes", readOp{y, span{5, 6}}, false},
		{"a write overlapping the read", readOp{z, span{5, 8}}, false},
		{"the last write", readOp{z, span{10, 11}}, false},
		{"an overwritten write", readOp{y, span{10, 11}}, true},
		{"a write begun after the read", readOp{z, span{1, 6}}, true},
	} {
		h := newRegisterHistory()
		w(h, x, 1, 3) // x, then y overlapping it, then z after both
		w(h, y, 2, 4)
		w(h, z, 7, 9)
		h.reads = []readOp{c.read}
		if errs := h.check(); (len(errs) > 0) != c.wrong {
			t.Errorf("a read of %s: check() = %v, want an error: %v", c.name, errs, c.wrong)
		}
	}
}
