package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"bridge/host/benchrpc"
)

// streamPhases: warm-up, then Stream's items per second with each number of
// concurrent calls, Echo's round trips over one long-lived call, and memory.
// A peer answering UNIMPLEMENTED for a method (the bridge before its
// streaming runtime) is skipped for that method's phases only.
func (b *bench) streamPhases() []phase {
	maxStreams := 1
	for _, n := range b.cfg.streams {
		if n > maxStreams {
			maxStreams = n
		}
	}
	phases := []phase{
		{"Stream warm-up", "Stream", func(s *session) error {
			bc, err := s.r.bench()
			if err == nil {
				_, err = b.streamRate(bc, maxStreams, b.cfg.streamWarmup/2)
			}
			return err
		}},
		{"Echo warm-up", "Echo", func(s *session) error {
			bc, err := s.r.bench()
			if err == nil {
				_, err = b.pingPong(bc, 0, b.cfg.streamWarmup/2)
			}
			return err
		}},
	}
	for _, n := range b.cfg.streams {
		n := n
		phases = append(phases, phase{fmt.Sprintf("Stream with %d concurrent call%s", n, plural(n)), "Stream", func(s *session) error {
			bc, err := s.r.bench()
			if err != nil {
				return err
			}
			rate, err := b.streamRate(bc, n, b.cfg.streamSeconds)
			if s.res.streamRate == nil {
				s.res.streamRate = map[int]float64{}
			}
			s.res.streamRate[n] = rate
			return err
		}})
	}
	return append(phases,
		phase{"Echo round trips", "Echo", func(s *session) error {
			bc, err := s.r.bench()
			if err == nil {
				s.res.echoLat, err = b.pingPong(bc, b.cfg.pings, 0)
			}
			return err
		}},
		phase{"stream memory", "", func(s *session) (err error) {
			s.res.rssStream, err = s.r.rssBytes()
			return err
		}})
}

// stuckCall is how long a streaming call may take beyond its planned time
// before it is given up (DEADLINE_EXCEEDED, an error): a peer whose stream
// stalls fails its row instead of hanging the run. No healthy peer comes near:
// the slowest measured so far would take seconds.
const stuckCall = 2 * time.Minute

// streamRate runs streams concurrent Stream calls over the one connection,
// each starting another when it ends, for d, and returns the items received
// per second. Every call asks for the same number of items.
func (b *bench) streamRate(bc *benchrpc.Client, streams int, d time.Duration) (float64, error) {
	calls, err := b.rate(streams, d, func(_, _ int) error { return b.streamCall(bc) })
	return calls * float64(b.cfg.streamMessages), err
}

// streamCall makes one Stream call and checks every item: seq in order, the
// payload's size, and the count.
func (b *bench) streamCall(bc *benchrpc.Client) error {
	ctx, cancel := context.WithTimeout(b.ctx, stuckCall)
	defer cancel()
	stream, err := bc.Stream(ctx, &benchrpc.StreamRequest{Count: uint32(b.cfg.streamMessages), Size: uint32(b.cfg.streamSize)})
	if err != nil {
		return err
	}
	for seq := uint32(0); ; seq++ {
		item, err := stream.Recv()
		if err == io.EOF {
			if seq != uint32(b.cfg.streamMessages) {
				return fmt.Errorf("Stream ended after %d items, want %d", seq, b.cfg.streamMessages)
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("Stream, after %d items: %w", seq, err)
		}
		if item.Seq != seq || len(item.Payload) != b.cfg.streamSize {
			return fmt.Errorf("Stream: item %d is %v, want seq %d and %d bytes", seq, item, seq, b.cfg.streamSize)
		}
	}
}

// pingPong sends one item on one Echo call and waits for its answer before
// sending the next: n times, or for d if n is 0. It returns each round trip's
// time, then ends the call as a client does, closing its side and reading the
// end of the stream.
func (b *bench) pingPong(bc *benchrpc.Client, n int, d time.Duration) ([]time.Duration, error) {
	ctx, cancel := context.WithTimeout(b.ctx, d+stuckCall)
	defer cancel()
	stream, err := bc.Echo(ctx)
	if err != nil {
		return nil, err
	}
	payload := strings.Repeat("p", b.cfg.streamSize)
	var out []time.Duration
	end := time.Now().Add(d)
	for i := 0; (n > 0 && i < n) || (n == 0 && time.Now().Before(end)); i++ {
		t0 := time.Now()
		if err := stream.Send(&benchrpc.Item{Seq: uint32(i), Payload: payload}); err != nil {
			// The status, if the call failed, comes with Recv.
			if _, rerr := stream.Recv(); rerr != nil && rerr != io.EOF {
				err = rerr
			}
			return nil, fmt.Errorf("Echo, sending item %d: %w", i, err)
		}
		item, err := stream.Recv()
		if err != nil {
			return nil, fmt.Errorf("Echo, after %d round trips: %w", i, err)
		}
		out = append(out, time.Since(t0))
		if item.Seq != uint32(i) || item.Payload != payload {
			return nil, fmt.Errorf("Echo: answer %d is %v, want seq %d and the payload sent", i, item, i)
		}
	}
	if err := stream.CloseSend(); err != nil {
		return nil, err
	}
	if item, err := stream.Recv(); err != io.EOF {
		if err == nil {
			return nil, fmt.Errorf("Echo: an answer (%v) after the last request's", item)
		}
		return nil, fmt.Errorf("Echo, ending the call: %w", err)
	}
	return out, nil
}

// unimplemented tells whether err is the peer answering UNIMPLEMENTED, with
// the status as the reason to show.
func unimplemented(err error) (string, bool) {
	var se interface{ GRPCStatus() *status.Status }
	if errors.As(err, &se) && se.GRPCStatus().Code() == codes.Unimplemented {
		return "UNIMPLEMENTED: " + se.GRPCStatus().Message(), true
	}
	return "", false
}
