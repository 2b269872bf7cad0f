package e2e

// Harness of the streaming example's tests (streams_test.go,
// streams_memory_test.go): the plugin serving proto/streams.proto is
// BRIDGE_STREAMS_CMD (see harness_test.go), by default the bridge running
// scripts/streams.js; tools/test.sh also runs them against
// host/bin/goplugin-streams, which validates them.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"bridge/host/streamsrpc"
)

// streamGuard bounds how long something the plugin does when a stream ends
// (its finally blocks) may take to show.
const streamGuard = 20 * time.Second

// streamsCmdline is the shell command line that starts the streams plugin.
func streamsCmdline(t *testing.T) string {
	if c := os.Getenv("BRIDGE_STREAMS_CMD"); c != "" {
		return c
	}
	root := repoRoot(t)
	script := filepath.Join(root, "scripts", "streams.js")
	if !fileExists(script) {
		t.Fatalf("script %s not found; set BRIDGE_STREAMS_CMD", script)
	}
	return "exec " + shellQuote(bridgeLauncher(t)) + " " + shellQuote(script)
}

// startStreams starts the streams plugin with its handshake and returns it
// with a client of both its services. (startPlugin also dispenses a KV
// client on the same connection, which these tests leave unused: go-plugin's
// host dispenses from its own plugin map and never asks the plugin.)
func startStreams(t *testing.T) (*plug, *streamsrpc.Client) {
	t.Helper()
	p := startPlugin(t, startOpts{cmdline: streamsCmdline(t), handshake: &streamsrpc.Handshake})
	return p, streamsrpc.NewClient(p.RPC.Conn)
}

func (p *plug) callCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), callTimeout(p.t))
}

// waitFile waits for the plugin to write name in its working dir and
// returns its content.
func (p *plug) waitFile(name string) string {
	p.t.Helper()
	path := filepath.Join(p.Dir, name)
	deadline := time.Now().Add(streamGuard)
	for {
		data, err := os.ReadFile(path)
		if err == nil && len(data) > 0 {
			return string(data)
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("the plugin did not write %s within %v (%v)", name, streamGuard, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// rssSampler follows the resident memory of the plugin's processes while a
// stream runs.
type rssSampler struct {
	pid  int
	stop chan struct{}
	done sync.WaitGroup

	mu              sync.Mutex
	first, peak, at int64 // bytes: before the stream, the highest, the last seen
	samples         int
}

// sampleRSS starts sampling the plugin's resident memory every interval.
func (p *plug) sampleRSS(interval time.Duration) *rssSampler {
	s := &rssSampler{pid: p.Cmd.Process.Pid, stop: make(chan struct{})}
	s.first = s.read()
	s.peak, s.at = s.first, s.first
	s.done.Add(1)
	go func() {
		defer s.done.Done()
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-tick.C:
				rss := s.read()
				s.mu.Lock()
				s.at, s.samples = rss, s.samples+1
				if rss > s.peak {
					s.peak = rss
				}
				s.mu.Unlock()
			}
		}
	}()
	return s
}

// read sums VmRSS over the plugin's process and its descendants (the
// command runs under sh -c, which may or may not exec).
func (s *rssSampler) read() int64 {
	var total int64
	for _, pid := range descendants(s.pid) {
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				total += kb * 1024
			}
		}
	}
	return total
}

// finish stops sampling and returns the resident memory before the stream
// and its peak, in bytes.
func (s *rssSampler) finish() (first, peak int64, samples int) {
	close(s.stop)
	s.done.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.first, s.peak, s.samples
}

func mib(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }
