package e2e

// Bridge-specific stress tests of the concurrency model: one script instance
// serves all calls, its module state is one state, and async handlers that
// wait for each other interleave safely, also while other calls fail, throw
// or run away.

import (
	"encoding/json"
	"fmt"
	mrand "math/rand"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// stateScript is a KV plugin whose data lives in module state only (no
// files): a Map of values, the same suffix as scripts/kv.js, and a journal
// that Put("journal", entry) appends to and Get("journal") returns, entries
// joined by "\n". A journal Put waits, after appending, until batch entries
// are in, so that a whole batch of calls is suspended in the script at once
// and the last of them resumes all the others. Every handler awaits before
// and after touching the state. Further keys: Put "spin" loops forever at
// once, "spin-later" after an await; Get "hang" never settles, "throw-*"
// throws an Error, "shape-*" returns a response of the wrong shape, Put
// "refuse-*" rejects with FAILED_PRECONDITION; Get "calls" counts the calls
// that reached a handler.
func stateScript(batch int) string {
	suffix, _ := json.Marshal(expectedSuffix())
	return `const SUFFIX = new TextEncoder().encode(` + string(suffix) + `);
const BATCH = ` + strconv.Itoa(batch) + `;
const store = new Map();
const journal = [];
let calls = 0;
let batch = newBatch();

function newBatch() {
  let open;
  const opened = new Promise((resolve) => {
    open = resolve;
  });
  return { size: 0, opened, open };
}

async function append(entry) {
  await null;
  journal.push(entry);
  const mine = batch;
  mine.size++;
  if (mine.size === BATCH) {
    batch = newBatch();
    mine.open();
  }
  await mine.opened;
}

export async function Put({ key, value }) {
  calls++;
  if (key === "spin") {
    for (;;) {}
  }
  await null;
  if (key === "spin-later") {
    for (;;) {}
  }
  if (key === "journal") {
    await append(new TextDecoder().decode(value));
    return {};
  }
  if (key.startsWith("refuse-")) {
    throw new RpcError("FAILED_PRECONDITION", "refused " + key);
  }
  const stored = new Uint8Array(value.length + SUFFIX.length);
  stored.set(value, 0);
  stored.set(SUFFIX, value.length);
  await Promise.resolve();
  store.set(key, stored);
  await null;
  return {};
}

export async function Get({ key }) {
  calls++;
  if (key === "hang") {
    return new Promise(() => {});
  }
  await Promise.resolve(key);
  if (key === "journal") {
    return { value: journal.join("\n") };
  }
  if (key === "calls") {
    return { value: String(calls) };
  }
  if (key.startsWith("throw-")) {
    throw new Error("thrown for " + key);
  }
  if (key.startsWith("shape-")) {
    return { value: 42 };
  }
  const stored = store.get(key);
  if (stored === undefined) {
    throw new RpcError("NOT_FOUND", ` + "`no value stored for key \"${key}\"`" + `);
  }
  await null;
  return { value: stored };
}
`
}

// checkJournal checks a journal read back: every entry one whole stamped
// text; each writer's entries in its order, without gaps or duplicates
// (a writer appends its next entry only after its last Put returned); with
// batches, entry i is of round i/batch; when final, every writer's rounds
// are all there.
func checkJournal(text []byte, writers, rounds, batch int, final bool) []error {
	var errs []error
	var entries []string
	if len(text) > 0 {
		entries = strings.Split(string(text), "\n")
	}
	next := make([]int, writers)
	for i, e := range entries {
		s, err := parseStamped([]byte(e))
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("journal entry %d: %v", i, err))
			continue
		case s.key != "journal" || s.writer < 0 || s.writer >= writers:
			errs = append(errs, fmt.Errorf("journal entry %d is %v, not a journal entry of a writer", i, s))
			continue
		case s.seq != next[s.writer]:
			errs = append(errs, fmt.Errorf("journal entry %d is %v, want writer %d's round %d (lost, duplicated or out of order)", i, s, s.writer, next[s.writer]))
		}
		next[s.writer] = s.seq + 1
		if batch > 1 && s.seq != i/batch {
			errs = append(errs, fmt.Errorf("journal entry %d is %v, of round %d; want round %d (batches of %d)", i, s, s.seq, i/batch, batch))
		}
	}
	if final && len(entries) != writers*rounds {
		errs = append(errs, fmt.Errorf("journal has %d entries, want %d writers × %d rounds", len(entries), writers, rounds))
	}
	return errs
}

// failingCall makes a call the script fails on purpose, chosen by kind, and
// checks its status.
func failingCall(p *plug, kind int, g, seq int) error {
	var err error
	var code codes.Code
	var text string
	switch kind % 3 {
	case 0:
		key := fmt.Sprintf("throw-%d-%d", g, seq)
		_, err = p.get(key)
		code, text = codes.Unknown, "thrown for "+key
	case 1:
		_, err = p.get(fmt.Sprintf("shape-%d-%d", g, seq))
		code, text = codes.Internal, "response.value"
	default:
		key := fmt.Sprintf("refuse-%d-%d", g, seq)
		err = p.put(key, []byte("x"))
		code, text = codes.FailedPrecondition, "refused "+key
	}
	if st, _ := status.FromError(err); err == nil || st.Code() != code || !strings.Contains(st.Message(), text) {
		return fmt.Errorf("failing call %d of goroutine %d: got %v, want %v with %q", seq, g, err, code, text)
	}
	return nil
}

// journalWorkload runs goroutines that each make n calls: every fourth a
// journal Put (round seq/4), every fourth another one a failing call or a
// look at the journal, the rest kvMix's Puts and Gets; extra(g, seq) may take
// a call over (returning true). It returns the number of journal rounds.
func journalWorkload(t *testing.T, p *plug, m *kvMix, errs *errorList, goroutines, n, batch int, extra func(g, seq int) bool) int {
	t.Helper()
	rounds := (n + 3) / 4
	start := time.Now()
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			rnd := mrand.New(mrand.NewSource(int64(2000 + g)))
			for seq := 0; seq < n; seq++ {
				switch {
				case extra != nil && extra(g, seq):
				case seq%4 == 0:
					s := stamp{"journal", g, seq / 4}
					if err := p.put("journal", stampedText(rnd, s, rnd.Intn(200))); err != nil {
						errs.addf("put %v: %v", s, err)
					}
				case seq%4 == 2 && rnd.Intn(4) == 0:
					got, err := p.get("journal")
					if err != nil {
						errs.addf("get journal: %v", err)
					}
					for _, err := range checkJournal(got, goroutines, rounds, batch, false) {
						errs.addf("goroutine %d's look at the journal: %v", g, err)
					}
				case seq%4 == 2:
					if err := failingCall(p, rnd.Intn(3), g, seq); err != nil {
						errs.add(err)
					}
				default:
					m.step(g, seq, rnd)
				}
			}
		}(g)
	}
	wg.Wait()
	t.Logf("%d goroutines × %d calls in %v", goroutines, n, time.Since(start).Round(time.Millisecond))
	return rounds
}

// finishJournal checks, once all goroutines are done, the final journal and
// that the script counted exactly the calls made: calls before, and its own
// two.
func finishJournal(t *testing.T, p *plug, goroutines, rounds, batch int, calls int64) {
	t.Helper()
	for _, err := range checkJournal(p.mustGet("journal"), goroutines, rounds, batch, true) {
		t.Error(err)
	}
	if got, want := string(p.mustGet("calls")), strconv.FormatInt(calls+2, 10); got != want {
		t.Errorf("the script counted %s calls, want %s: one module state sees every call once", got, want)
	}
}

// TestAsyncCallsShareModuleState: 16 goroutines make BRIDGE_STRESS_N calls
// each to a script whose state is all in module variables. Journal Puts come
// in rounds, and each waits in the script until all 16 of its round are in:
// so 16 async handlers are suspended at once and resumed by another call.
// Meanwhile the other calls put and get values in the module's Map (kvMix's
// checks: whole values, no stale reads, own keys read back exactly), throw,
// return the wrong shape or reject. The journal holds every entry exactly
// once, in rounds; the script saw every call once.
func TestAsyncCallsShareModuleState(t *testing.T) {
	bridgeLauncher(t)
	const goroutines = 16
	script := kvPlugin(t, "state", stateScript(goroutines))
	p := startPlugin(t, startOpts{cmdline: bridgeCmdline(t, nil, script)})
	n := envInt(t, "BRIDGE_STRESS_N", 40)
	var errs errorList
	m := newKVMix(p, goroutines, &errs)

	rounds := journalWorkload(t, p, m, &errs, goroutines, n, goroutines, nil)
	errs.report(t, "concurrent calls")
	finishJournal(t, p, goroutines, rounds, goroutines, int64(goroutines*n))
	m.finish(t, false)
}

// TestSharedKeysStressAcrossInstances: TestSharedKeysStress's workload
// against scripts/kv.js served by 4 instances, each with its own thread:
// calls run in parallel and state is shared only through files, which
// fs.writeFileSync replaces whole. The same checks hold: whole values only,
// no stale reads, own keys read back exactly.
func TestSharedKeysStressAcrossInstances(t *testing.T) {
	bridgeLauncher(t)
	const goroutines = 16
	kv := filepath.Join(repoRoot(t), "scripts", "kv.js")
	p := startPlugin(t, startOpts{cmdline: bridgeCmdline(t, nil, "--instances", "4", kv)})
	n := envInt(t, "BRIDGE_STRESS_N", 40)
	var errs errorList
	m := newKVMix(p, goroutines, &errs)
	m.run(t, n, 3000)
	errs.report(t, "concurrent calls")
	m.finish(t, true)
}

// warmUp makes one call of each kind the workload makes, one after the
// other, so that no call of the workload is a fresh plugin's first (which
// can take a good part of a second on a busy machine); it returns how many
// calls it made.
func warmUp(t *testing.T, p *plug) int64 {
	t.Helper()
	p.mustPut("warm-up", []byte("x"))
	p.mustGet("warm-up")
	for kind := 0; kind < 3; kind++ {
		if err := failingCall(p, kind, -1, kind); err != nil {
			t.Fatal(err)
		}
	}
	if got := p.mustGet("journal"); len(got) != 0 {
		t.Fatalf("journal before any entry: got %s, want it empty", describe(got))
	}
	return 6
}

// TestRunawayCallsAmongConcurrentCalls: with a call time limit of 2s,
// the same workload (journal entries appended without waiting) runs while
// four calls loop forever (two before their handler's first await, two
// after it) and four never settle. Those fail with DEADLINE_EXCEEDED; every
// other call succeeds or fails exactly as meant, module state is intact and
// the plugin keeps serving. (The good calls take milliseconds: the limit is
// small, not tight: 2s leaves room for a busy machine's first calls.)
func TestRunawayCallsAmongConcurrentCalls(t *testing.T) {
	bridgeLauncher(t)
	const goroutines = 16
	script := kvPlugin(t, "runaways", stateScript(1))
	p := startPlugin(t, startOpts{cmdline: bridgeCmdline(t, nil, "--call-timeout", "2s", script)})
	n := envInt(t, "BRIDGE_STRESS_N", 40)
	var errs errorList
	m := newKVMix(p, goroutines, &errs)
	m.maxSize = 2048 // small values: the good calls are far within the time limit
	warm := warmUp(t, p)

	var runaways int64
	// Half-way, in a step of kvMix's (not a journal round), eight goroutines go astray.
	astray := 4*(n/8) + 1
	rounds := journalWorkload(t, p, m, &errs, goroutines, n, 1, func(g, seq int) bool {
		if g >= 8 || seq != astray {
			return false
		}
		atomic.AddInt64(&runaways, 1)
		var err error
		var text string
		switch {
		case g < 4:
			key := []string{"spin", "spin-later"}[g%2]
			err = p.put(key, []byte("x"))
			text = "interrupted"
		default:
			_, err = p.get("hang")
			text = "did not finish"
		}
		if st, _ := status.FromError(err); err == nil || st.Code() != codes.DeadlineExceeded || !strings.Contains(st.Message(), text) {
			errs.addf("runaway call of goroutine %d: got %v, want DeadlineExceeded with %q", g, err, text)
		}
		return true
	})
	errs.report(t, "concurrent calls")
	if runaways != 8 {
		t.Fatalf("made %d runaway calls, want 8 (BRIDGE_STRESS_N too small?)", runaways)
	}
	finishJournal(t, p, goroutines, rounds, 1, warm+int64(goroutines*n))
	m.finish(t, false)
}
