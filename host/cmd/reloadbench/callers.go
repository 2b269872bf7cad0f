package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"bridge/host/kvrpc"
)

// callers call Get("version") without pause from several goroutines and
// note when each version first answered.
type callers struct {
	mu        sync.Mutex
	firstSeen map[int]time.Time
	calls     int
	failed    int
	failures  []string // the first few failures, for the report
	stop      chan struct{}
	done      sync.WaitGroup
}

const keptFailures = 5

func startCallers(kv *kvrpc.Client, n int, callTimeout time.Duration) *callers {
	c := &callers{firstSeen: map[int]time.Time{}, stop: make(chan struct{})}
	for i := 0; i < n; i++ {
		c.done.Add(1)
		go func() {
			defer c.done.Done()
			for {
				select {
				case <-c.stop:
					return
				default:
				}
				c.callOnce(kv, callTimeout)
			}
		}()
	}
	return c
}

func (c *callers) callOnce(kv *kvrpc.Client, callTimeout time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	answer, err := kv.Get(ctx, "version")
	cancel()
	answered := time.Now()
	version := 0
	if err == nil {
		version, err = parseVersion(answer)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	if err != nil {
		c.failed++
		if len(c.failures) < keptFailures {
			c.failures = append(c.failures, fmt.Sprintf("%s: %v", answered.Format("15:04:05.000"), err))
		}
		return
	}
	if _, seen := c.firstSeen[version]; !seen {
		c.firstSeen[version] = answered
	}
}

// waitFor waits until version has answered a call and returns when it first
// did.
func (c *callers) waitFor(version int, guard time.Duration) (time.Time, error) {
	deadline := time.Now().Add(guard)
	for {
		c.mu.Lock()
		at, seen := c.firstSeen[version]
		c.mu.Unlock()
		if seen {
			return at, nil
		}
		if time.Now().After(deadline) {
			return time.Time{}, fmt.Errorf("version %d answered no call within %v", version, guard)
		}
		time.Sleep(time.Millisecond)
	}
}

// finish stops the callers and returns their counts.
func (c *callers) finish() (calls, failed int, failures []string) {
	close(c.stop)
	c.done.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls, c.failed, append([]string(nil), c.failures...)
}
