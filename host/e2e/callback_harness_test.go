package e2e

// Harness of the broker example's tests (callback_test.go): the plugin
// serving proto/callback.proto is BRIDGE_CALLBACK_CMD (see harness_test.go),
// by default the bridge running scripts/callback.js; tools/test.sh also runs
// them against host/bin/goplugin-callback, which validates them.

import (
	"context"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"google.golang.org/grpc/stats"

	"bridge/host/callbackrpc"
)

// callbackCmdline is the shell command line that starts the callback plugin.
func callbackCmdline(t *testing.T) string {
	if c := os.Getenv("BRIDGE_CALLBACK_CMD"); c != "" {
		return c
	}
	script := filepath.Join(repoRoot(t), "scripts", "callback.js")
	if !fileExists(script) {
		t.Fatalf("script %s not found; set BRIDGE_CALLBACK_CMD", script)
	}
	return "exec " + shellQuote(bridgeLauncher(t)) + " " + shellQuote(script)
}

// startCallback starts the callback plugin, with AutoMTLS or without, and
// returns it with the host's side of it: the Counter client and the host's
// broker.
func startCallback(t *testing.T, autoMTLS bool) (*plug, *callbackrpc.Client) {
	t.Helper()
	p := startPlugin(t, startOpts{
		cmdline:   callbackCmdline(t),
		handshake: &callbackrpc.Handshake,
		plugins:   callbackrpc.PluginMap(nil),
		autoMTLS:  autoMTLS,
	})
	raw, err := p.RPC.Dispense(callbackrpc.PluginName)
	if err != nil {
		t.Fatalf("dispensing %s: %v", callbackrpc.PluginName, err)
	}
	return p, raw.(*callbackrpc.Client)
}

// forEachTLS runs test as two subtests: without TLS, and with go-plugin's
// AutoMTLS (brokered connections then use the same certificates as the main
// one, both ways).
func forEachTLS(t *testing.T, test func(t *testing.T, autoMTLS bool)) {
	for _, tc := range []struct {
		name     string
		autoMTLS bool
	}{{"plain", false}, {"AutoMTLS", true}} {
		t.Run(tc.name, func(t *testing.T) { test(t, tc.autoMTLS) })
	}
}

// countingAdder is the host's AddHelper, counting the calls that reach it
// (each offer gets its own, so a test can tell which id the plugin dialed).
type countingAdder struct {
	callbackrpc.Adder
	sums int32
	// block, if not nil, holds each Sum until it is closed.
	block chan struct{}
	// entered, if not nil, is sent to when a Sum arrives.
	entered chan struct{}
	// stopped, if not nil, gets the context of a blocked Sum that its caller ended.
	stopped chan context.Context
}

func (a *countingAdder) Sum(ctx context.Context, req *callbackrpc.SumRequest) (*callbackrpc.SumResponse, error) {
	atomic.AddInt32(&a.sums, 1)
	if a.entered != nil {
		a.entered <- struct{}{}
	}
	if a.block != nil {
		select {
		case <-a.block:
		case <-ctx.Done():
			if a.stopped != nil {
				a.stopped <- ctx
			}
			return nil, ctx.Err()
		}
	}
	return a.Adder.Sum(ctx, req)
}

func (a *countingAdder) calls() int32 { return atomic.LoadInt32(&a.sums) }

func hostAdder() *countingAdder { return &countingAdder{Adder: callbackrpc.Adder{By: "host"}} }

// connTracker counts the connections a server accepted and those that
// ended (a grpc stats.Handler).
type connTracker struct{ begun, ended int32 }

func (c *connTracker) TagRPC(ctx context.Context, _ *stats.RPCTagInfo) context.Context   { return ctx }
func (c *connTracker) HandleRPC(context.Context, stats.RPCStats)                         {}
func (c *connTracker) TagConn(ctx context.Context, _ *stats.ConnTagInfo) context.Context { return ctx }
func (c *connTracker) HandleConn(_ context.Context, s stats.ConnStats) {
	switch s.(type) {
	case *stats.ConnBegin:
		atomic.AddInt32(&c.begun, 1)
	case *stats.ConnEnd:
		atomic.AddInt32(&c.ended, 1)
	}
}

func (c *connTracker) counts() (begun, ended int32) {
	return atomic.LoadInt32(&c.begun), atomic.LoadInt32(&c.ended)
}
