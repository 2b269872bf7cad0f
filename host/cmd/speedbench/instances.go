package main

import (
	"fmt"
	"sync"
	"time"
)

// The memory of many plugins: a host with several plugins (or one plugin
// started for several provider blocks) runs that many plugin processes at
// once. SPEEDBENCH_INSTANCES of a peer's KV plugin are started at the same
// time, each answers one Get, and their resident memory is summed (every
// process of each: VmRSS of the plugin and its descendants). The peers take
// turns, each peer's processes stopped before the next peer's start.

// instancesFigures are one peer's concurrent instances.
type instancesFigures struct {
	rss     int64         // VmRSS of all of them, once each answered
	pss     int64         // their proportional set size: pages they share (a JVM's AOT cache, libjvm, Node's binary) counted once
	allUp   time.Duration // from starting them to the last one's first reply
	started int
}

// instances runs the phase on every peer in turn.
func (b *bench) instances(results []*result, dirs []string) {
	for i, res := range results {
		if b.ctx.Err() != nil {
			return
		}
		if err := b.instancesOf(res, dirs[i]); err != nil {
			res.fail(fmt.Sprintf("%d instances", b.cfg.instances), err)
		}
		progress("instances: %s: %d started, %.1f MB resident together (PSS %.1f MB)", res.peer.name, res.instances.started,
			mb(res.instances.rss), mb(res.instances.pss))
	}
}

func (b *bench) instancesOf(res *result, dir string) error {
	n := b.cfg.instances
	running := make([]*running, n)
	errs := make([]error, n)
	defer func() {
		for _, r := range running {
			if r != nil {
				r.kill()
			}
		}
	}()
	t0 := time.Now()
	var wg sync.WaitGroup
	for k := 0; k < n; k++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			r, err := start(res.peer.kvCmd, dir, b.logger)
			if err != nil {
				errs[k] = err
				return
			}
			running[k] = r
			kv, err := r.kv()
			if err == nil {
				_, err = kv.Get(b.ctx, startKey)
			}
			errs[k] = err
		}(k)
	}
	wg.Wait()
	allUp := time.Since(t0)
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	total, proportional := int64(0), int64(0)
	for _, r := range running {
		rss, err := r.rssBytes()
		if err != nil {
			return err
		}
		total += rss
		pss, err := r.pssBytes()
		if err != nil {
			return err
		}
		proportional += pss
	}
	res.instances = instancesFigures{rss: total, pss: proportional, allUp: allUp, started: n}
	return nil
}

// pssBytes is the proportional set size of the plugin process and its
// descendants (/proc/<pid>/smaps_rollup): each page shared with other
// processes counts its share, so summed over processes sharing a file's
// pages, they count once.
func (r *running) pssBytes() (int64, error) {
	return r.sumOverProcesses(func(pid int) (int64, error) {
		return kbLine(fmt.Sprintf("/proc/%d/smaps_rollup", pid), "Pss:")
	})
}

func instancesMetrics(c config) []metric {
	return []metric{
		{label: instancesRSSLabel(c), value: func(r *result) (float64, bool) {
			return mb(r.instances.rss), r.instances.rss > 0
		}, fmt: fixed(1)},
		{label: fmt.Sprintf("PSS of the %d instances, shared pages counted once (MB)", c.instances), value: func(r *result) (float64, bool) {
			return mb(r.instances.pss), r.instances.pss > 0
		}, fmt: fixed(1)},
		{label: fmt.Sprintf("%d instances started at once → all answered (ms)", c.instances), value: func(r *result) (float64, bool) {
			return ms(r.instances.allUp), r.instances.rss > 0
		}, fmt: fixed(0)},
	}
}

func instancesRSSLabel(c config) string {
	return fmt.Sprintf("RSS of %d instances at once, each after one Get (MB)", c.instances)
}
