package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-hclog"
)

// result is what was measured of one peer; a phase that failed leaves its
// fields empty and its error in errs.
type result struct {
	peer       peer
	handshake  []time.Duration // start → handshake line read
	firstReply []time.Duration // start → first Get answered
	startCPU   []time.Duration // CPU time used by then
	getLat     []time.Duration
	putLat     []time.Duration
	throughput map[int]float64 // callers → Gets/s
	getCPU     map[int]float64 // callers → the plugin's CPU time per Get in that run (µs)
	rssKV      int64
	cpuRate    float64 // Transforms/s
	cpuPerCall float64 // the plugin's CPU time (its warm runtime's included) per Transform of the measured run, µs
	rssCPU     int64
	streamRate map[int]float64 // concurrent Stream calls → items/s
	echoLat    []time.Duration // Echo round trips
	rssStream  int64
	fetchRate  float64          // Fetch calls/s
	mtls       mtlsFigures      // starts with AutoMTLS (mtls.go)
	instances  instancesFigures // concurrent instances (instances.go)
	// unsupported says why a method was not measured: the peer answered
	// UNIMPLEMENTED (the bridge before its streaming runtime). Its rows show
	// "—"; it is not an error.
	unsupported map[string]string
	errs        []string
}

func (r *result) fail(phase string, err error) {
	r.errs = append(r.errs, fmt.Sprintf("%s: %v", phase, err))
}

// skip records that method was not measured, and why.
func (r *result) skip(method, why string) {
	if r.unsupported == nil {
		r.unsupported = map[string]string{}
	}
	if _, seen := r.unsupported[method]; !seen {
		r.unsupported[method] = why
	}
}

const startKey = "start"

// bench runs the measurements; ctx ends them early (Ctrl-C).
type bench struct {
	cfg    config
	logger hclog.Logger
	ctx    context.Context
	doc    *document
}

// workDir is the peer's working directory (its KV files), made afresh.
func (b *bench) workDir(index int) (string, error) {
	dir := filepath.Join(b.cfg.work, fmt.Sprintf("%d", index))
	if err := os.RemoveAll(dir); err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	// Every peer's Get returns a file's bytes; the start measurement's
	// first call reads this one.
	return dir, os.WriteFile(filepath.Join(dir, "kv_"+startKey), []byte("started"), 0o644)
}

// startOnce times one start of p's KV plugin: to the handshake, and to the
// first answered Get. Stopping the process is not timed.
func (b *bench) startOnce(p peer, dir string, autoMTLS bool) (handshake, reply, cpu time.Duration, err error) {
	runtimeBefore := runtimeCPU(p.kvCmd) // a warm peer's runtime: only what it spends on this start counts
	t0 := time.Now()
	r, err := startWith(p.kvCmd, dir, b.logger, autoMTLS)
	if err != nil {
		return 0, 0, 0, err
	}
	defer r.kill()
	handshake = time.Since(t0)
	kv, err := r.kv()
	if err != nil {
		return 0, 0, 0, err
	}
	if _, err := kv.Get(b.ctx, startKey); err != nil {
		return 0, 0, 0, fmt.Errorf("first Get: %w", err)
	}
	reply = time.Since(t0)
	if cpu, err = r.cpuTime(); err != nil {
		return 0, 0, 0, err
	}
	return handshake, reply, cpu - runtimeBefore, nil
}

// starts measures every peer's start n+1 times, taking turns so that a
// change in the machine's load falls on every peer alike; the first round
// (cold file cache, first JIT of the host) is not kept.
func (b *bench) starts(results []*result, dirs []string) {
	failed := make([]bool, len(results))
	for round := 0; round <= b.cfg.starts && b.ctx.Err() == nil; round++ {
		for i, res := range results {
			if b.cfg.phases["mtls"] {
				b.mtlsStart(res, dirs[i], round > 0)
			}
			if failed[i] || !b.cfg.phases["starts"] {
				continue
			}
			hs, reply, cpu, err := b.startOnce(res.peer, dirs[i], false)
			if err != nil {
				res.fail("start", err)
				failed[i] = true
				continue
			}
			if round == 0 {
				noteFirstLaunch(res.peer, reply, cpu)
			}
			if round > 0 {
				res.handshake = append(res.handshake, hs)
				res.firstReply = append(res.firstReply, reply)
				res.startCPU = append(res.startCPU, cpu)
			}
		}
		progress("starts: round %d of %d done", round, b.cfg.starts)
	}
}

// session is one long-lived plugin process of a peer, measured in phases.
type session struct {
	res    *result
	r      *running
	failed bool
}

// phase is one measurement, run on every peer's session in turn. A phase of
// a method the peer answers UNIMPLEMENTED for is skipped, not failed: the
// session goes on with the next phase.
type phase struct {
	name   string
	method string // the Bench method measured, if the peer may not serve it
	run    func(s *session) error
}

// sessions starts a long-lived process per peer and runs each phase on
// every peer before the next phase, so that the figures compared in one
// row are taken close together in time on a machine whose load may change.
func (b *bench) sessions(results []*result, dirs []string, cmd func(peer) string, phases []phase) {
	var all []*session
	defer func() {
		for _, s := range all {
			s.r.kill()
		}
	}()
	for i, res := range results {
		if cmd(res.peer) == "" {
			continue // not a measurement this peer takes part in
		}
		r, err := start(cmd(res.peer), dirs[i], b.logger)
		if err != nil {
			res.fail("starting", err)
			continue
		}
		all = append(all, &session{res: res, r: r})
	}
	for _, ph := range phases {
		for _, s := range all {
			if s.failed || b.ctx.Err() != nil {
				continue
			}
			if _, skipped := s.res.unsupported[ph.method]; skipped && ph.method != "" {
				continue
			}
			progress("%s: %s", s.res.peer.name, ph.name)
			if err := ph.run(s); err != nil {
				if why, ok := unimplemented(err); ok && ph.method != "" {
					progress("%s: %s not measured: %s", s.res.peer.name, ph.method, why)
					s.res.skip(ph.method, why)
					continue
				}
				s.res.fail(ph.name, err)
				s.failed = true
			}
		}
	}
}

const nkeys = 16

var kvValue = bytes.Repeat([]byte("v"), 64)

func kvKey(i int) string { return fmt.Sprintf("key%02d", i%nkeys) }

// kvPhases: warm-up, latency, throughput and memory of a KV process.
func (b *bench) kvPhases() []phase {
	kvOf := func(s *session) (get, put func(i int) error, err error) {
		kv, err := s.r.kv()
		if err != nil {
			return nil, nil, err
		}
		get = func(i int) error { _, err := kv.Get(b.ctx, kvKey(i)); return err }
		put = func(i int) error { return kv.Put(b.ctx, kvKey(i), kvValue) }
		return get, put, nil
	}
	phases := []phase{
		{name: "KV warm-up", run: func(s *session) error {
			get, put, err := kvOf(s)
			if err != nil {
				return err
			}
			for i := 0; i < nkeys; i++ {
				if err := put(i); err != nil {
					return err
				}
			}
			_, err = b.rate(b.cfg.warmupCallers, b.cfg.warmup, func(_, i int) error {
				if err := get(i); err != nil {
					return err
				}
				return put(i)
			})
			return err
		}},
		{name: "Get latency", run: func(s *session) (err error) {
			get, _, err := kvOf(s)
			if err == nil {
				s.res.getLat, err = b.latencies(get)
			}
			return err
		}},
		{name: "Put latency", run: func(s *session) (err error) {
			_, put, err := kvOf(s)
			if err == nil {
				s.res.putLat, err = b.latencies(put)
			}
			return err
		}},
	}
	for _, callers := range b.cfg.callers {
		callers := callers
		phases = append(phases, phase{name: fmt.Sprintf("Gets with %d caller%s", callers, plural(callers)), run: func(s *session) error {
			get, _, err := kvOf(s)
			if err != nil {
				return err
			}
			cpu0, cpuErr := s.r.cpuTime()
			t0 := time.Now()
			rate, err := b.rate(callers, b.cfg.seconds, func(_, i int) error { return get(i) })
			elapsed := time.Since(t0)
			cpu1, cpuErr1 := s.r.cpuTime()
			if s.res.throughput == nil {
				s.res.throughput = map[int]float64{}
				s.res.getCPU = map[int]float64{}
			}
			s.res.throughput[callers] = rate
			// CPU per call hardly depends on what else the machine runs, unlike the rate on a shared machine.
			if calls := rate * elapsed.Seconds(); err == nil && cpuErr == nil && cpuErr1 == nil && calls > 0 {
				s.res.getCPU[callers] = us(cpu1-cpu0) / calls
			}
			return err
		}})
	}
	return append(phases, phase{name: "KV memory", run: func(s *session) (err error) {
		s.res.rssKV, err = s.r.rssBytes()
		return err
	}})
}

func (b *bench) latencies(call func(int) error) ([]time.Duration, error) {
	out := make([]time.Duration, b.cfg.calls)
	for i := range out {
		t0 := time.Now()
		if err := call(i); err != nil {
			return nil, err
		}
		out[i] = time.Since(t0)
	}
	return out, nil
}

// rate runs callers goroutines over the one connection, each calling call
// in a loop for d, and returns the answered calls per second.
func (b *bench) rate(callers int, d time.Duration, call func(caller, i int) error) (float64, error) {
	calls, elapsed, err := b.count(callers, d, call)
	if err != nil {
		return 0, err
	}
	return float64(calls) / elapsed.Seconds(), nil
}

// count is rate's calls made and the time they took, calls in flight at the end included.
func (b *bench) count(callers int, d time.Duration, call func(caller, i int) error) (int64, time.Duration, error) {
	var done int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	stop := make(chan struct{})
	t0 := time.Now()
	for c := 0; c < callers; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for i := c; ; i += callers {
				select {
				case <-stop:
					return
				default:
				}
				if err := call(c, i); err != nil {
					once.Do(func() { firstErr = err; close(stop) })
					return
				}
				atomic.AddInt64(&done, 1)
			}
		}(c)
	}
	timer := time.NewTimer(d)
	select {
	case <-timer.C:
		once.Do(func() { close(stop) })
	case <-stop:
		timer.Stop()
	}
	// Calls in flight when the time is up still count: they were made
	// within it, and waiting for them keeps the elapsed time honest.
	wg.Wait()
	elapsed := time.Since(t0)
	if firstErr != nil {
		return 0, 0, firstErr
	}
	return atomic.LoadInt64(&done), elapsed, nil
}

// cpuPhases: the Transform answer's check, warm-up, throughput and memory.
func (b *bench) cpuPhases() []phase {
	transform := func(s *session) (func(_, _ int) error, error) {
		bc, err := s.r.bench()
		if err != nil {
			return nil, err
		}
		return func(_, _ int) error { _, err := bc.Transform(b.ctx, b.doc.text); return err }, nil
	}
	return []phase{
		{name: "Transform check and warm-up", run: func(s *session) error {
			bc, err := s.r.bench()
			if err != nil {
				return err
			}
			answer, err := bc.Transform(b.ctx, b.doc.text)
			if err != nil {
				return err
			}
			if err := b.doc.check(answer); err != nil {
				return err
			}
			call, err := transform(s)
			if err == nil {
				_, err = b.rate(b.cfg.cpuCallers, b.cfg.cpuWarmup, call)
			}
			return err
		}},
		{name: "Transform throughput", run: func(s *session) error {
			call, err := transform(s)
			if err != nil {
				return err
			}
			// CPU time per call hardly depends on what else the machine runs, unlike calls per second.
			before, err := s.r.cpuTime()
			if err != nil {
				return err
			}
			calls, elapsed, err := b.count(b.cfg.cpuCallers, b.cfg.cpuSeconds, call)
			if err != nil {
				return err
			}
			after, err := s.r.cpuTime()
			if err != nil {
				return err
			}
			s.res.cpuRate = float64(calls) / elapsed.Seconds()
			if calls > 0 {
				s.res.cpuPerCall = float64((after - before).Microseconds()) / float64(calls)
			}
			return nil
		}},
		{name: "Transform memory", run: func(s *session) (err error) {
			s.res.rssCPU, err = s.r.rssBytes()
			return err
		}},
	}
}
