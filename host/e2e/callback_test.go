package e2e

// The broker example (proto/callback.proto, scripts/callback.js) through the
// real go-plugin host: the plugin dials the AddHelper the host offers with
// AcceptAndServe (go-plugin's bidirectional example) and calls it with every
// call shape; the host dials the AddHelper the plugin offers; both with and
// without AutoMTLS; the host's cancel and deadline passed on to the call
// back; the connection dialed for a request closed after it; many ids in a
// row and at once; an id the host never
// offered; Kill with brokered connections open. BRIDGE_CALLBACK_CMD selects
// the plugin (callback_harness_test.go).

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"bridge/host/callbackrpc"
)

// The bidirectional example's shape: each Put names the AddHelper the host
// just offered, and the plugin adds with it.
func TestCallbackPutCallsTheHostBack(t *testing.T) {
	forEachTLS(t, func(t *testing.T, autoMTLS bool) {
		p, c := startCallback(t, autoMTLS)
		ctx, cancel := p.callCtx()
		defer cancel()
		var want int64
		for _, v := range []int64{3, 4, -10} {
			adder := hostAdder()
			id, stop := c.ServeAddHelper(adder)
			resp, err := c.Counter.Put(ctx, &callbackrpc.PutRequest{AddServer: id, Key: "apples", Value: v})
			stop()
			want += v
			if err != nil || resp.Value != want {
				t.Fatalf("Put apples %d (broker id %d): %v, %v; want value %d", v, id, resp, err, want)
			}
			if n := adder.calls(); n != 1 {
				t.Errorf("Put apples %d: the host's AddHelper under id %d got %d Sum calls, want 1", v, id, n)
			}
		}
		for key, want := range map[string]int64{"apples": want, "pears": 0} {
			got, err := c.Counter.Get(ctx, &callbackrpc.GetRequest{Key: key})
			if err != nil || got.Value != want {
				t.Errorf("Get %s: %v, %v; want %d", key, got, err, want)
			}
		}
	})
}

// AddAll has the plugin call the host's Total (client streaming), Running
// (bidi) and Range (server streaming), empty streams included.
func TestCallbackAddAllCallsTheHostWithEveryShape(t *testing.T) {
	forEachTLS(t, func(t *testing.T, autoMTLS bool) {
		p, c := startCallback(t, autoMTLS)
		ctx, cancel := p.callCtx()
		defer cancel()
		for _, tc := range []struct {
			numbers, running  []int64
			total, rangeTotal int64
		}{
			{[]int64{1, 2, 3, 4}, []int64{1, 3, 6, 10}, 10, 55},
			{nil, nil, 0, 0},
			{[]int64{1 << 40, -(1 << 40), 7}, []int64{1 << 40, 0, 7}, 7, 28},
		} {
			// An offer is good for one dial, as go-plugin's: a new id for each request.
			id, stop := c.ServeAddHelper(hostAdder())
			resp, err := c.Counter.AddAll(ctx, &callbackrpc.AddAllRequest{AddServer: id, Numbers: tc.numbers})
			stop()
			if err != nil {
				t.Fatalf("AddAll %v: %v", tc.numbers, err)
			}
			if resp.Total != tc.total || !sameInts(resp.Running, tc.running) || resp.RangeTotal != tc.rangeTotal {
				t.Errorf("AddAll %v: total %d, running %v, range_total %d; want %d, %v, %d",
					tc.numbers, resp.Total, resp.Running, resp.RangeTotal, tc.total, tc.running, tc.rangeTotal)
			}
		}
	})
}

func sameInts(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The other way round: the plugin offers an AddHelper, the host dials its id
// and calls every method.
func TestCallbackHostDialsWhatThePluginOffers(t *testing.T) {
	forEachTLS(t, func(t *testing.T, autoMTLS bool) {
		p, c := startCallback(t, autoMTLS)
		offered := p.offer(c, "offered")
		ctx, cancel := p.callCtx()
		defer cancel()

		sum, err := offered.Sum(ctx, &callbackrpc.SumRequest{A: 20, B: 22})
		if err != nil || sum.Result != 42 || sum.By != "offered" {
			t.Errorf("Sum(20, 22): %v, %v; want 42 by offered", sum, err)
		}

		rng, err := offered.Range(ctx, &callbackrpc.RangeRequest{From: -2, To: 2})
		if err != nil {
			t.Fatalf("Range: %v", err)
		}
		var got []int64
		for {
			num, err := rng.Recv()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("Range after %v: %v", got, err)
			}
			got = append(got, num.N)
		}
		if want := []int64{-2, -1, 0, 1, 2}; !sameInts(got, want) {
			t.Errorf("Range(-2, 2): %v, want %v", got, want)
		}

		total, err := offered.Total(ctx)
		if err != nil {
			t.Fatalf("Total: %v", err)
		}
		for n := int64(1); n <= 100; n++ {
			if err := total.Send(&callbackrpc.Number{N: n}); err != nil {
				break // the status comes from CloseAndRecv
			}
		}
		if t100, err := total.CloseAndRecv(); err != nil || t100.Result != 5050 || t100.By != "offered" {
			t.Errorf("Total(1..100): %v, %v; want 5050 by offered", t100, err)
		}

		// Each sum comes back before the next number is sent.
		running, err := offered.Running(ctx)
		if err != nil {
			t.Fatalf("Running: %v", err)
		}
		var sofar int64
		for _, n := range []int64{5, 6, 7} {
			sofar += n
			if err := running.Send(&callbackrpc.Number{N: n}); err != nil {
				t.Fatalf("Running: sending %d: %v", n, err)
			}
			if num, err := running.Recv(); err != nil || num.N != sofar {
				t.Fatalf("Running: after %d: %v, %v; want %d", n, num, err, sofar)
			}
		}
		if err := running.CloseSend(); err != nil {
			t.Fatalf("Running: CloseSend: %v", err)
		}
		if _, err := running.Recv(); err != io.EOF {
			t.Errorf("Running after the last sum: %v, want the end of the stream", err)
		}
	})
}

// offer has the plugin offer an AddHelper answering as name and dials it;
// the connection is closed when the test ends.
func (p *plug) offer(c *callbackrpc.Client, name string) callbackrpc.AddHelperClient {
	p.t.Helper()
	helper, err := p.tryOffer(c, name)
	if err != nil {
		p.t.Fatal(err)
	}
	return helper
}

func (p *plug) tryOffer(c *callbackrpc.Client, name string) (callbackrpc.AddHelperClient, error) {
	ctx, cancel := p.callCtx()
	defer cancel()
	resp, err := c.Counter.Offer(ctx, &callbackrpc.OfferRequest{Name: name})
	if err != nil {
		return nil, fmt.Errorf("Offer %s: %v", name, err)
	}
	helper, conn, err := c.DialAddHelper(resp.BrokerId)
	if err != nil {
		return nil, fmt.Errorf("dialing the AddHelper %s offered under broker id %d: %v", name, resp.BrokerId, err)
	}
	p.t.Cleanup(func() { conn.Close() })
	return helper, nil
}

// putWith offers a fresh AddHelper for one Put and checks it was the one
// the plugin dialed.
func (p *plug) putWith(c *callbackrpc.Client, key string, value, want int64) error {
	ctx, cancel := p.callCtx()
	defer cancel()
	adder := hostAdder()
	id, stop := c.ServeAddHelper(adder)
	defer stop()
	resp, err := c.Counter.Put(ctx, &callbackrpc.PutRequest{AddServer: id, Key: key, Value: value})
	if err != nil {
		return fmt.Errorf("Put %s %d (broker id %d): %v", key, value, id, err)
	}
	if resp.Value != want {
		return fmt.Errorf("Put %s %d (broker id %d): value %d, want %d", key, value, id, resp.Value, want)
	}
	if n := adder.calls(); n != 1 {
		return fmt.Errorf("Put %s %d: the host's AddHelper under broker id %d got %d Sum calls, want 1", key, value, id, n)
	}
	return nil
}

// sumWith checks an offered AddHelper answers as name.
func (p *plug) sumWith(helper callbackrpc.AddHelperClient, name string, a int64) error {
	ctx, cancel := p.callCtx()
	defer cancel()
	sum, err := helper.Sum(ctx, &callbackrpc.SumRequest{A: a, B: 1})
	if err != nil || sum.Result != a+1 || sum.By != name {
		return fmt.Errorf("Sum(%d, 1) of the AddHelper offered as %s: %v, %v; want %d by %s", a, name, sum, err, a+1, name)
	}
	return nil
}

func TestCallbackManyIdsInARow(t *testing.T) {
	p, c := startCallback(t, false)
	const n = 25
	for i := int64(1); i <= n; i++ {
		if err := p.putWith(c, "row", i, i*(i+1)/2); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < n; i++ {
		name := "row-" + strconv.Itoa(i)
		if err := p.sumWith(p.offer(c, name), name, int64(i)); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCallbackManyIdsConcurrently(t *testing.T) {
	forEachTLS(t, func(t *testing.T, autoMTLS bool) {
		p, c := startCallback(t, autoMTLS)
		const goroutines, rounds = 12, 4
		var wg sync.WaitGroup
		errs := make(chan error, goroutines*rounds*2)
		for g := 0; g < goroutines; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				key := "key-" + strconv.Itoa(g)
				for r := 1; r <= rounds; r++ {
					if err := p.putWith(c, key, int64(g), int64(g*r)); err != nil {
						errs <- err
						return
					}
					name := fmt.Sprintf("g%d-r%d", g, r)
					helper, err := p.tryOffer(c, name)
					if err == nil {
						err = p.sumWith(helper, name, int64(g*r))
					}
					if err != nil {
						errs <- err
						return
					}
				}
			}(g)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	})
}

// The plugin closes the connection it dialed for a request once it is done
// with it (the host offers an id per request, and here keeps serving it):
// no connection is left open per request.
func TestCallbackPluginClosesWhatItDialed(t *testing.T) {
	p, c := startCallback(t, false)
	for _, call := range []struct {
		name string
		do   func(ctx context.Context, id uint32) error
	}{
		{"Put", func(ctx context.Context, id uint32) error {
			_, err := c.Counter.Put(ctx, &callbackrpc.PutRequest{AddServer: id, Key: "k", Value: 1})
			return err
		}},
		{"AddAll", func(ctx context.Context, id uint32) error {
			_, err := c.Counter.AddAll(ctx, &callbackrpc.AddAllRequest{AddServer: id, Numbers: []int64{1, 2}})
			return err
		}},
	} {
		tracker := &connTracker{}
		id, stop := callbackrpc.Offer(c.Broker, func(s *grpc.Server) {
			callbackrpc.RegisterAddHelperServer(s, hostAdder())
		}, grpc.StatsHandler(tracker))
		ctx, cancel := p.callCtx()
		err := call.do(ctx, id)
		cancel()
		if err != nil {
			stop()
			t.Fatalf("%s (broker id %d): %v", call.name, id, err)
		}
		deadline := time.Now().Add(streamGuard)
		begun, ended := tracker.counts()
		for (begun == 0 || ended < begun) && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
			begun, ended = tracker.counts()
		}
		stop()
		if begun == 0 || ended < begun {
			t.Errorf("%s (broker id %d): %d of the %d connections to the host's AddHelper still open %v after the call",
				call.name, id, begun-ended, begun, streamGuard)
		}
	}
}

// A request naming an id the host never offered fails within 10 s with
// UNAVAILABLE naming the id (go-plugin waits 5 s for an offer), and the
// plugin goes on serving.
func TestCallbackIdNeverOfferedFailsAndThePluginServesOn(t *testing.T) {
	p, c := startCallback(t, false)
	ctx, cancel := p.callCtx()
	defer cancel()
	const never = 4000000000
	start := time.Now()
	_, err := c.Counter.Put(ctx, &callbackrpc.PutRequest{AddServer: never, Key: "k", Value: 1})
	took := time.Since(start)
	if status.Code(err) != codes.Unavailable || !strings.Contains(status.Convert(err).Message(), strconv.Itoa(never)) {
		t.Errorf("Put naming broker id %d, never offered: %v; want UNAVAILABLE naming the id", never, err)
	}
	if took > 10*time.Second {
		t.Errorf("Put naming broker id %d, never offered, failed after %v, want within 10s", never, took)
	}
	t.Logf("failed after %v: %v", took.Round(time.Millisecond), err)
	if err := p.putWith(c, "k", 5, 5); err != nil {
		t.Errorf("after the failed Put: %v", err)
	}
	if err := p.sumWith(p.offer(c, "after"), "after", 1); err != nil {
		t.Errorf("after the failed Put: %v", err)
	}
}

// putHeldAtTheHost starts a Put whose Sum the host's AddHelper holds until
// the test ends (or the Sum's caller ends it), and returns once the Sum has
// arrived: the adder, and the Put's outcome to come.
func (p *plug) putHeldAtTheHost(ctx context.Context, c *callbackrpc.Client, key string) (*countingAdder, chan error) {
	p.t.Helper()
	adder := hostAdder()
	adder.block, adder.entered = make(chan struct{}), make(chan struct{}, 1)
	adder.stopped = make(chan context.Context, 1)
	id, stop := c.ServeAddHelper(adder)
	p.t.Cleanup(func() {
		close(adder.block)
		stop()
	})
	putDone := make(chan error, 1)
	go func() {
		_, err := c.Counter.Put(ctx, &callbackrpc.PutRequest{AddServer: id, Key: key, Value: 1})
		putDone <- err
	}()
	select {
	case <-adder.entered:
	case err := <-putDone:
		p.t.Fatalf("Put ended before its Sum reached the host: %v", err)
	case <-time.After(callTimeout(p.t)):
		p.t.Fatalf("the plugin's Sum did not reach the host within %v", callTimeout(p.t))
	}
	return adder, putDone
}

// The host ending a Put, by cancelling it or by its deadline, ends the
// plugin's call back to the host's Sum: the plugin passes the call's
// cancellation and deadline on, as a Go plugin passing its ctx does.
func TestCallbackHostCancelAndDeadlineReachTheCallBack(t *testing.T) {
	p, c := startCallback(t, false)
	// warm: the deadline's Put must reach the host well within it
	if err := p.putWith(c, "before", 1, 1); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		timeout time.Duration // 0: cancelled once the Sum reaches the host
	}{{"cancel", 0}, {"deadline", 5 * time.Second}} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := p.callCtx()
			defer cancel()
			var deadline time.Time
			if tc.timeout > 0 {
				ctx, cancel = context.WithTimeout(ctx, tc.timeout)
				defer cancel()
				deadline, _ = ctx.Deadline()
			}
			adder, putDone := p.putHeldAtTheHost(ctx, c, tc.name)
			if tc.timeout == 0 {
				cancel()
			}
			select {
			case sumCtx := <-adder.stopped:
				if tc.timeout == 0 && sumCtx.Err() != context.Canceled {
					t.Errorf("the host's Sum ended with %v, want %v", sumCtx.Err(), context.Canceled)
				}
				if tc.timeout > 0 {
					// the plugin's clock and the transit shift it a little
					if got, ok := sumCtx.Deadline(); !ok || got.After(deadline.Add(time.Second)) {
						t.Errorf("the host's Sum had deadline %v (%v), want by the Put's %v", got, ok, deadline)
					}
				}
			case <-time.After(tc.timeout + streamGuard):
				t.Fatalf("the host's Sum was still running %v after the Put's %s", tc.timeout+streamGuard, tc.name)
			}
			if err := <-putDone; err == nil {
				t.Errorf("the Put %s succeeded", tc.name)
			}
		})
	}
	if err := p.putWith(c, "after", 2, 2); err != nil {
		t.Errorf("after: %v", err)
	}
}

// Kill with a call in flight each way over brokered connections: the plugin
// in the middle of the host's Sum, the host in the middle of the plugin's
// Running. The plugin exits on go-plugin's Shutdown, before the 2 s after
// which go-plugin kills it.
func TestCallbackKillWithBrokeredConnectionsOpen(t *testing.T) {
	p, c := startCallback(t, false)
	ctx, cancel := p.callCtx()
	defer cancel()

	running, err := p.offer(c, "open").Running(ctx)
	if err != nil {
		t.Fatalf("Running: %v", err)
	}
	if err := running.Send(&callbackrpc.Number{N: 1}); err != nil {
		t.Fatalf("Running: %v", err)
	}
	if _, err := running.Recv(); err != nil {
		t.Fatalf("Running: %v", err)
	}

	_, putDone := p.putHeldAtTheHost(ctx, c, "k")

	pids := descendants(p.Cmd.Process.Pid)
	start := time.Now()
	done := make(chan struct{})
	go func() { p.Client.Kill(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("Kill() did not return within 30s")
	}
	killTook := time.Since(start)
	if killTook >= 2*time.Second {
		t.Errorf("Kill() took %v, want < 2s (go-plugin force-kills after 2s when the plugin does not exit on Shutdown)", killTook)
	}
	deadline := time.Now().Add(2 * time.Second)
	for _, pid := range pids {
		for !processGone(pid) && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if !processGone(pid) {
			t.Errorf("plugin process %d still running 2s after Kill()", pid)
		}
	}
	select {
	case err := <-putDone:
		if err == nil {
			t.Errorf("the Put in flight at Kill() succeeded")
		}
	case <-time.After(10 * time.Second):
		t.Errorf("the Put in flight at Kill() had not ended 10s later")
	}
	if _, err := running.Recv(); err == nil {
		t.Errorf("Running: a sum after Kill()")
	}
	t.Logf("Kill() took %v", killTook)
}
