package main

import (
	"fmt"
	"sync"
	"time"
)

// The memory of many plugins: a host with several plugins (or one plugin
// started for several provider blocks) runs that many plugin processes at
// once. For every peer, cold or warm, the same steps: one KV plugin answers a
// Get, then serves a load of Gets and Puts, its memory read after each; then
// SPEEDBENCH_INSTANCES of them are started at the same time, each answers one
// Get, then all serve the load at once, their memory read after each. Memory
// is every process of the bridge counted once (memoryOf): each plugin process
// with its descendants and, for a warm peer, the runtime they share (the one
// the earlier phases used: its compiled code and grown heap count). The peers
// take turns, each peer's processes stopped before the next peer's start.

// instancesFigures are one peer's instances.
type instancesFigures struct {
	oneRSS       int64         // one instance after its first Get
	oneLoadedRSS int64         // the same after the load
	rss          int64         // n instances at once, each after its first Get
	pss          int64         // their proportional set size: pages they share (a JVM's AOT cache, libjvm, Node's binary) counted once
	loadedRSS    int64         // the n after the load
	allUp        time.Duration // from starting the n to the last one's first reply
	started      int
}

// instanceLoadCallers call each instance during the load: a host's few concurrent calls.
const instanceLoadCallers = 2

// instances runs the phase on every peer in turn.
func (b *bench) instances(results []*result, dirs []string) {
	for i, res := range results {
		if b.ctx.Err() != nil {
			return
		}
		if err := b.instancesOf(res, dirs[i]); err != nil {
			res.fail(fmt.Sprintf("%d instances", b.cfg.instances), err)
		}
		f := res.instances
		progress("instances: %s: 1: %.1f MB, %.1f MB after load; %d at once: %.1f MB (PSS %.1f MB), %.1f MB after load",
			res.peer.name, mb(f.oneRSS), mb(f.oneLoadedRSS), f.started, mb(f.rss), mb(f.pss), mb(f.loadedRSS))
	}
}

func (b *bench) instancesOf(res *result, dir string) error {
	one, err := b.startInstances(res.peer, dir, 1)
	if err != nil {
		return err
	}
	res.instances.oneRSS, res.instances.oneLoadedRSS, err = b.idleAndLoaded(one)
	killAll(one)
	if err != nil {
		return fmt.Errorf("one instance: %w", err)
	}

	t0 := time.Now()
	all, err := b.startInstances(res.peer, dir, b.cfg.instances)
	defer killAll(all)
	if err != nil {
		return err
	}
	res.instances.allUp = time.Since(t0)
	res.instances.started = len(all)
	if res.instances.pss, err = memoryOf(all, pssOf); err != nil {
		return err
	}
	res.instances.rss, res.instances.loadedRSS, err = b.idleAndLoaded(all)
	return err
}

// startInstances starts n of p's KV plugin at once and has each answer a Get. On an error, what did start is
// returned too, for the caller to kill.
func (b *bench) startInstances(p peer, dir string, n int) ([]*running, error) {
	started := make([]*running, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for k := 0; k < n; k++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			r, err := start(p.kvCmd, dir, b.logger)
			if err != nil {
				errs[k] = err
				return
			}
			started[k] = r
			kv, err := r.kv()
			if err == nil {
				_, err = kv.Get(b.ctx, startKey)
			}
			errs[k] = err
		}(k)
	}
	wg.Wait()
	var out []*running
	for _, r := range started {
		if r != nil {
			out = append(out, r)
		}
	}
	for _, err := range errs {
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// idleAndLoaded is the memory of the instances as they are, and again after each served the load (Gets and Puts
// from instanceLoadCallers callers, all instances at once, for SPEEDBENCH_INSTANCE_LOAD_SECONDS).
func (b *bench) idleAndLoaded(all []*running) (idle, loaded int64, err error) {
	if idle, err = memoryOf(all, vmRSS); err != nil {
		return 0, 0, err
	}
	errs := make([]error, len(all))
	var wg sync.WaitGroup
	for k, r := range all {
		wg.Add(1)
		go func(k int, r *running) {
			defer wg.Done()
			kv, err := r.kv()
			if err != nil {
				errs[k] = err
				return
			}
			_, errs[k] = b.rate(instanceLoadCallers, b.cfg.instanceLoad, func(_, i int) error {
				key := kvKey(i)
				if err := kv.Put(b.ctx, key, kvValue); err != nil {
					return err
				}
				_, err := kv.Get(b.ctx, key)
				return err
			})
		}(k, r)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return 0, 0, fmt.Errorf("the load: %w", err)
		}
	}
	loaded, err = memoryOf(all, vmRSS)
	return idle, loaded, err
}

func killAll(all []*running) {
	for _, r := range all {
		r.kill()
	}
}

func instancesMetrics(c config) []metric {
	figure := func(get func(f instancesFigures) int64) func(*result) (float64, bool) {
		return func(r *result) (float64, bool) { v := get(r.instances); return mb(v), v > 0 }
	}
	return []metric{
		{label: "RSS of 1 instance after one Get (MB)", value: figure(func(f instancesFigures) int64 { return f.oneRSS }), fmt: fixed(1)},
		{label: instancesLoadedLabel(c, 1), value: figure(func(f instancesFigures) int64 { return f.oneLoadedRSS }), fmt: fixed(1)},
		{label: instancesRSSLabel(c), value: figure(func(f instancesFigures) int64 { return f.rss }), fmt: fixed(1)},
		{label: fmt.Sprintf("PSS of the %d instances, shared pages counted once (MB)", c.instances),
			value: figure(func(f instancesFigures) int64 { return f.pss }), fmt: fixed(1)},
		{label: instancesLoadedLabel(c, c.instances), value: figure(func(f instancesFigures) int64 { return f.loadedRSS }), fmt: fixed(1)},
		{label: fmt.Sprintf("%d instances started at once → all answered (ms)", c.instances), value: func(r *result) (float64, bool) {
			return ms(r.instances.allUp), r.instances.rss > 0
		}, fmt: fixed(0)},
	}
}

func instancesRSSLabel(c config) string {
	return fmt.Sprintf("RSS of %d instances at once, each after one Get (MB)", c.instances)
}

func instancesLoadedLabel(c config, n int) string {
	what := "instance"
	if n > 1 {
		what = "instances"
	}
	return fmt.Sprintf("RSS of %d %s after %s of Gets and Puts, %d callers each (MB)", n, what, c.instanceLoad, instanceLoadCallers)
}
