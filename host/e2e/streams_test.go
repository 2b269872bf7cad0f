package e2e

// The streaming example (proto/streams.proto, scripts/streams.js) through
// the real go-plugin host: every call shape, headers and trailers of a
// stream, the host cancelling or its deadline passing mid-stream (the
// script's finally blocks run), an error after some messages with its rich
// details, concurrent streams, and two services sharing a method name.
// BRIDGE_STREAMS_CMD selects the plugin (streams_harness_test.go).

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"bridge/host/streamsrpc"
)

func TestStreamsServicesSharingGetAnswerDifferently(t *testing.T) {
	p, c := startStreams(t)
	ctx, cancel := p.callCtx()
	defer cancel()
	req := &streamsrpc.CountRequest{Tag: "a"}
	inv, err := c.Inventory.Get(ctx, req)
	if err != nil || inv.Name != "inventory:a" {
		t.Errorf("streams.Inventory/Get {tag: a}: %v, %v; want inventory:a", inv, err)
	}
	ord, err := c.Orders.Get(ctx, req)
	if err != nil || ord.Name != "orders:a" {
		t.Errorf("streams.Orders/Get {tag: a}: %v, %v; want orders:a", ord, err)
	}
}

// recvItems reads a Count stream to its end: the items and the final error
// (nil at a normal end).
func recvItems(stream streamsrpc.Inventory_CountClient) ([]*streamsrpc.Item, error) {
	var items []*streamsrpc.Item
	for {
		item, err := stream.Recv()
		if err == io.EOF {
			return items, nil
		}
		if err != nil {
			return items, err
		}
		items = append(items, item)
	}
}

// checkItems checks items are tag 1..n, each with a payload of size bytes.
func checkItems(t *testing.T, items []*streamsrpc.Item, tag string, n, size int) {
	t.Helper()
	if len(items) != n {
		t.Fatalf("got %d items, want %d", len(items), n)
	}
	for i, item := range items {
		if want := fmt.Sprintf("%s %d", tag, i+1); item.Name != want || item.N != int64(i+1) || len(item.Payload) != size {
			t.Fatalf("item %d: {name %q n %d payload %d bytes}, want {name %q n %d payload %d bytes}",
				i, item.Name, item.N, len(item.Payload), want, i+1, size)
		}
	}
}

func TestStreamsServerStreamWithHeaderAndTrailer(t *testing.T) {
	p, c := startStreams(t)
	ctx, cancel := p.callCtx()
	defer cancel()
	var header, trailer metadata.MD
	stream, err := c.Inventory.Count(ctx, &streamsrpc.CountRequest{Count: 5, Tag: "s", PayloadBytes: 3},
		grpc.Header(&header), grpc.Trailer(&trailer))
	if err != nil {
		t.Fatal(err)
	}
	items, err := recvItems(stream)
	if err != nil {
		t.Fatalf("Count 5: %v after %d items", err, len(items))
	}
	checkItems(t, items, "s", 5, 3)
	if got := header.Get("x-stream"); len(got) != 1 || got[0] != "5" {
		t.Errorf("header x-stream: %q, want [5] (headers %v)", got, header)
	}
	if got := trailer.Get("x-items"); len(got) != 1 || got[0] != "5" {
		t.Errorf("trailer x-items: %q, want [5] (trailers %v)", got, trailer)
	}

	// an empty stream ends at once, OK, with its header and trailer
	header, trailer = nil, nil
	stream, err = c.Inventory.Count(ctx, &streamsrpc.CountRequest{Tag: "none"}, grpc.Header(&header), grpc.Trailer(&trailer))
	if err != nil {
		t.Fatal(err)
	}
	if items, err := recvItems(stream); err != nil || len(items) != 0 {
		t.Errorf("Count 0: %d items, %v; want none and OK", len(items), err)
	}
	if header.Get("x-stream")[0] != "0" || trailer.Get("x-items")[0] != "0" {
		t.Errorf("Count 0: header %v, trailer %v; want x-stream 0 and x-items 0", header, trailer)
	}
}

func TestStreamsClientStreamSums(t *testing.T) {
	p, c := startStreams(t)
	for _, n := range []int64{1000, 1, 0} {
		t.Run(fmt.Sprintf("%d items", n), func(t *testing.T) {
			ctx, cancel := p.callCtx()
			defer cancel()
			stream, err := c.Inventory.Sum(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for i := int64(1); i <= n; i++ {
				if err := stream.Send(&streamsrpc.Item{Name: "x", N: i, Payload: []byte{byte(i)}}); err != nil {
					t.Fatalf("send %d of %d: %v", i, n, err)
				}
			}
			sum, err := stream.CloseAndRecv()
			if err != nil || sum.Count != n || sum.Total != n*(n+1)/2 {
				t.Errorf("Sum of 1..%d: %v, %v; want count %d, total %d", n, sum, err, n, n*(n+1)/2)
			}
		})
	}
}

// Each ping's echo arrives before the next ping is sent: the handler reads
// and yields in turn, it does not wait for the end of the requests.
func TestStreamsBidiEchoesEachPingBeforeTheNext(t *testing.T) {
	p, c := startStreams(t)
	ctx, cancel := p.callCtx()
	defer cancel()
	stream, err := c.Inventory.Echo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for seq := int64(1); seq <= 50; seq++ {
		payload := bytes.Repeat([]byte{byte(seq), 0, 255}, int(seq))
		if err := stream.Send(&streamsrpc.Ping{Seq: seq, Payload: payload}); err != nil {
			t.Fatalf("send ping %d: %v", seq, err)
		}
		got, err := stream.Recv()
		if err != nil {
			t.Fatalf("echo of ping %d (the next is not sent yet): %v", seq, err)
		}
		if got.Seq != seq || !bytes.Equal(got.Payload, payload) {
			t.Fatalf("echo of ping %d: seq %d, payload %s", seq, got.Seq, describe(got.Payload))
		}
	}
	if err := stream.CloseSend(); err != nil {
		t.Fatal(err)
	}
	if _, err := stream.Recv(); err != io.EOF {
		t.Errorf("after the last echo: %v, want the end of the stream (OK)", err)
	}

	// no pings at all: the stream ends at once, OK
	empty, err := c.Inventory.Echo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := empty.CloseSend(); err != nil {
		t.Fatal(err)
	}
	if got, err := empty.Recv(); err != io.EOF {
		t.Errorf("Echo of no pings: %v, %v; want the end of the stream (OK)", got, err)
	}
}

// stopCases: a host cancel, mid-stream, while the handler waits on a timer
// (delay) and while it waits for the host to read (no delay, a stream
// longer than the transport's buffers).
var stopCases = []struct {
	name  string
	delay uint32
}{{"waiting on a timer", 20}, {"waiting for the host to read", 0}}

func TestStreamsHostCancelRunsTheHandlersFinally(t *testing.T) {
	p, c := startStreams(t)
	warmUpStreams(t, p, c)
	for _, tc := range stopCases {
		t.Run(tc.name, func(t *testing.T) {
			tag := fmt.Sprintf("cancel-%d", tc.delay)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			stream, err := c.Inventory.Count(ctx, &streamsrpc.CountRequest{Count: 1 << 40, Tag: tag, DelayMs: tc.delay, PayloadBytes: 1024})
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 3; i++ {
				if _, err := stream.Recv(); err != nil {
					t.Fatalf("item %d: %v", i+1, err)
				}
			}
			time.Sleep(200 * time.Millisecond) // the handler fills the transport's buffers, or waits on its timer
			cancel()
			if _, err := recvItems(stream); status.Code(err) != codes.Canceled {
				t.Errorf("after the cancel: %v, want CANCELED", err)
			}
			got := p.waitFile("cancelled-" + tag)
			if !strings.HasPrefix(got, "CANCELLED after ") {
				t.Errorf("cancelled-%s: %q, want CANCELLED after <n> items", tag, got)
			}
			t.Logf("the handler's finally wrote %q", got)
		})
	}
	// the plugin serves on
	ctx, cancel := p.callCtx()
	defer cancel()
	if item, err := c.Inventory.Get(ctx, &streamsrpc.CountRequest{Tag: "after"}); err != nil || item.Name != "inventory:after" {
		t.Errorf("Get after the cancels: %v, %v", item, err)
	}
}

// warmUpStreams makes one short Count stream, so that the time a plugin takes to
// serve its first stream (a cold interpreter) does not count against a
// test's short deadline.
func warmUpStreams(t *testing.T, p *plug, c *streamsrpc.Client) {
	t.Helper()
	ctx, cancel := p.callCtx()
	defer cancel()
	stream, err := c.Inventory.Count(ctx, &streamsrpc.CountRequest{Count: 3, Tag: "warm-up", DelayMs: 1})
	if err != nil {
		t.Fatal(err)
	}
	if items, err := recvItems(stream); err != nil || len(items) != 3 {
		t.Fatalf("warm-up Count 3: %d items, %v", len(items), err)
	}
}

func TestStreamsDeadlineEndsTheStreamAndRunsFinally(t *testing.T) {
	p, c := startStreams(t)
	warmUpStreams(t, p, c)
	for _, tc := range stopCases {
		t.Run(tc.name, func(t *testing.T) {
			tag := fmt.Sprintf("deadline-%d", tc.delay)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			stream, err := c.Inventory.Count(ctx, &streamsrpc.CountRequest{Count: 1 << 40, Tag: tag, DelayMs: tc.delay, PayloadBytes: 1024})
			if err != nil {
				t.Fatal(err)
			}
			// three items, then no reading until the deadline has passed: the handler is
			// waiting (on its timer, or for the host to read) when it does
			var items []*streamsrpc.Item
			for len(items) < 3 {
				item, err := stream.Recv()
				if err != nil {
					t.Fatalf("item %d: %v", len(items)+1, err)
				}
				items = append(items, item)
			}
			<-ctx.Done()
			time.Sleep(100 * time.Millisecond)
			rest, err := recvItems(stream) // what the transport buffered, then the status
			items = append(items, rest...)
			if status.Code(err) != codes.DeadlineExceeded {
				t.Errorf("after %d items: %v, want DEADLINE_EXCEEDED", len(items), err)
			}
			if len(items) == 0 {
				t.Errorf("no items before the deadline")
			}
			got := p.waitFile("cancelled-" + tag)
			// The host's gRPC cancels the stream at its deadline, usually before the plugin's own
			// copy of the deadline passes: the plugin takes that cancel for the deadline too.
			if !strings.HasPrefix(got, "DEADLINE_EXCEEDED after ") {
				t.Errorf("cancelled-%s: %q, want DEADLINE_EXCEEDED after <n> items", tag, got)
			}
			t.Logf("%d items received; the handler's finally wrote %q", len(items), got)
		})
	}
}

func TestStreamsErrorAfterSomeMessagesCarriesItsDetails(t *testing.T) {
	p, c := startStreams(t)
	ctx, cancel := p.callCtx()
	defer cancel()
	var trailer metadata.MD
	stream, err := c.Inventory.Count(ctx, &streamsrpc.CountRequest{Count: 10, Tag: "f", FailAfter: 3}, grpc.Trailer(&trailer))
	if err != nil {
		t.Fatal(err)
	}
	items, err := recvItems(stream)
	checkItems(t, items, "f", 3, 0)
	st, _ := status.FromError(err)
	if st.Code() != codes.InvalidArgument || st.Message() != "failing as asked, after 3 of 10 items" {
		t.Fatalf("after 3 items: %v, want INVALID_ARGUMENT: failing as asked, after 3 of 10 items", err)
	}
	details := st.Details()
	bad, ok := func() (*errdetails.BadRequest, bool) {
		if len(details) != 1 {
			return nil, false
		}
		b, ok := details[0].(*errdetails.BadRequest)
		return b, ok
	}()
	if !ok || len(bad.FieldViolations) != 1 || bad.FieldViolations[0].Field != "fail_after" ||
		bad.FieldViolations[0].Description != "asked to fail after 3 of 10 items" {
		t.Errorf("details: %v, want one BadRequest for fail_after", details)
	}
	if got := trailer.Get("x-items"); len(got) != 1 || got[0] != "3" {
		t.Errorf("trailer x-items with the error: %q, want [3]", got)
	}
}

// Eight streams at once, of every streaming shape, each checked whole.
func TestStreamsConcurrentStreams(t *testing.T) {
	p, c := startStreams(t)
	ctx, cancel := p.callCtx()
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			if err := concurrentStream(ctx, c, g); err != nil {
				errs <- fmt.Errorf("stream %d: %v", g, err)
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func concurrentStream(ctx context.Context, c *streamsrpc.Client, g int) error {
	const n = 300
	switch g % 3 {
	case 0:
		tag := fmt.Sprintf("g%d", g)
		stream, err := c.Inventory.Count(ctx, &streamsrpc.CountRequest{Count: n, Tag: tag, PayloadBytes: 100})
		if err != nil {
			return err
		}
		items, err := recvItems(stream)
		if err != nil {
			return fmt.Errorf("Count: %v after %d items", err, len(items))
		}
		for i, item := range items {
			if item.Name != fmt.Sprintf("%s %d", tag, i+1) {
				return fmt.Errorf("Count: item %d is %q", i, item.Name)
			}
		}
		if len(items) != n {
			return fmt.Errorf("Count: %d items, want %d", len(items), n)
		}
	case 1:
		stream, err := c.Inventory.Sum(ctx)
		if err != nil {
			return err
		}
		for i := int64(1); i <= n; i++ {
			if err := stream.Send(&streamsrpc.Item{N: i * int64(g)}); err != nil {
				return fmt.Errorf("Sum: send %d: %v", i, err)
			}
		}
		sum, err := stream.CloseAndRecv()
		if want := int64(g) * n * (n + 1) / 2; err != nil || sum.Count != n || sum.Total != want {
			return fmt.Errorf("Sum: %v, %v; want count %d, total %d", sum, err, n, want)
		}
	case 2:
		stream, err := c.Inventory.Echo(ctx)
		if err != nil {
			return err
		}
		for seq := int64(1); seq <= n; seq++ {
			payload := []byte(fmt.Sprintf("g%d-%d", g, seq))
			if err := stream.Send(&streamsrpc.Ping{Seq: seq, Payload: payload}); err != nil {
				return fmt.Errorf("Echo: send %d: %v", seq, err)
			}
			got, err := stream.Recv()
			if err != nil || got.Seq != seq || !bytes.Equal(got.Payload, payload) {
				return fmt.Errorf("Echo: ping %d came back as %v, %v", seq, got, err)
			}
		}
		if err := stream.CloseSend(); err != nil {
			return err
		}
		if _, err := stream.Recv(); err != io.EOF {
			return fmt.Errorf("Echo: after the last echo: %v", err)
		}
	}
	return nil
}
