package e2e

// A million messages each way through the streaming example, in bounded
// memory: the plugin's resident memory is sampled from /proc while the
// stream runs and must stay under BRIDGE_STREAM_RSS_MAX (generous: it is
// there to catch a stream buffered whole, a gigabyte at these sizes, not to
// measure). BRIDGE_STREAM_MESSAGES sizes them down on a slow machine.

import (
	"context"
	"io"
	"os"
	"testing"
	"time"

	"bridge/host/streamsrpc"
)

// streamPayload is each message's payload: with a million messages, a
// gigabyte goes through the stream.
const streamPayload = 1024

// millionGuard bounds a million-message stream: a hang guard, well above
// what one takes on two slow cores.
const millionGuard = 5 * time.Minute

func streamMessages(t *testing.T) int64 {
	return int64(envInt(t, "BRIDGE_STREAM_MESSAGES", 1000000))
}

// checkRSS stops the sampler, logs the figures and checks the peak.
func checkRSS(t *testing.T, s *rssSampler, what string, n int64, took time.Duration) {
	t.Helper()
	first, peak, samples := s.finish()
	if os.Getenv("BRIDGE_WARM") == "1" {
		// The plugin process is then the warm client, whose memory says nothing of the stream's.
		t.Logf("%s: %d messages in %v; warm mode: the plugin's memory is the runtime's, not bounded here", what, n, took)
		return
	}
	limit := int64(envInt(t, "BRIDGE_STREAM_RSS_MAX", 1024)) << 20
	t.Logf("%s: %d messages of %d bytes in %v (%.0f/s); plugin RSS %s before, peak %s (%d samples), limit %s",
		what, n, streamPayload, took.Round(time.Millisecond), float64(n)/took.Seconds(), mib(first), mib(peak), samples, mib(limit))
	if peak > limit {
		t.Errorf("%s: the plugin's resident memory reached %s, over %s (BRIDGE_STREAM_RSS_MAX)", what, mib(peak), mib(limit))
	}
}

func TestStreamsMillionMessageServerStreamInBoundedMemory(t *testing.T) {
	p, c := startStreams(t)
	n := streamMessages(t)
	ctx, cancel := context.WithTimeout(context.Background(), millionGuard)
	defer cancel()
	rss := p.sampleRSS(100 * time.Millisecond)
	started := time.Now()
	stream, err := c.Inventory.Count(ctx, &streamsrpc.CountRequest{Count: n, Tag: "m", PayloadBytes: streamPayload})
	if err != nil {
		t.Fatal(err)
	}
	var got int64
	for {
		item, err := stream.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("after %d items: %v", got, err)
		}
		got++
		if item.N != got || len(item.Payload) != streamPayload {
			t.Fatalf("item %d: n %d, payload %d bytes", got, item.N, len(item.Payload))
		}
	}
	checkRSS(t, rss, "Count", n, time.Since(started))
	if got != n {
		t.Errorf("got %d items, want %d", got, n)
	}
}

func TestStreamsMillionMessageClientStreamInBoundedMemory(t *testing.T) {
	p, c := startStreams(t)
	n := streamMessages(t)
	ctx, cancel := context.WithTimeout(context.Background(), millionGuard)
	defer cancel()
	rss := p.sampleRSS(100 * time.Millisecond)
	started := time.Now()
	stream, err := c.Inventory.Sum(ctx)
	if err != nil {
		t.Fatal(err)
	}
	payload := make([]byte, streamPayload)
	for i := int64(1); i <= n; i++ {
		if err := stream.Send(&streamsrpc.Item{N: i, Payload: payload}); err != nil {
			t.Fatalf("send %d: %v (the status: see CloseAndRecv)", i, err)
		}
	}
	sum, err := stream.CloseAndRecv()
	checkRSS(t, rss, "Sum", n, time.Since(started))
	if err != nil || sum.Count != n || sum.Total != n*(n+1)/2 {
		t.Errorf("Sum of 1..%d: %v, %v; want count %d, total %d", n, sum, err, n, n*(n+1)/2)
	}
}
