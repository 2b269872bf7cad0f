package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/hashicorp/go-hclog"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"bridge/host/streamsrpc"
)

// inventory serves streams.Inventory, every call shape.
type inventory struct {
	log hclog.Logger
}

func (*inventory) Get(_ context.Context, req *streamsrpc.CountRequest) (*streamsrpc.Item, error) {
	return &streamsrpc.Item{Name: "inventory:" + req.Tag}, nil
}

// Count sends items 1..count, each after delay_ms, with payload_bytes of
// payload; the header x-stream announces how many will come, the trailer
// x-items says how many went. fail_after > 0 ends the stream with
// INVALID_ARGUMENT and a BadRequest once that many items are sent. Stopped
// by the host, it writes cancelled-<tag> saying why instead, as the
// script's finally does.
func (s *inventory) Count(req *streamsrpc.CountRequest, stream streamsrpc.Inventory_CountServer) error {
	ctx := stream.Context()
	payload := make([]byte, req.PayloadBytes)
	sent := 0
	if err := stream.SetHeader(metadata.Pairs("x-stream", strconv.FormatInt(req.Count, 10))); err != nil {
		return err
	}
	defer func() {
		if ctx.Err() != nil {
			s.recordStop(ctx, req.Tag, sent) // the host is gone, trailers would not reach it
		} else {
			stream.SetTrailer(metadata.Pairs("x-items", strconv.Itoa(sent)))
		}
	}()
	for n := int64(1); n <= req.Count; n++ {
		if req.DelayMs > 0 {
			select {
			case <-time.After(time.Duration(req.DelayMs) * time.Millisecond):
			case <-ctx.Done():
				return status.FromContextError(ctx.Err()).Err()
			}
		}
		if err := stream.Send(&streamsrpc.Item{Name: fmt.Sprintf("%s %d", req.Tag, n), N: n, Payload: payload}); err != nil {
			return err
		}
		sent++
		if uint32(sent) == req.FailAfter {
			return failedAfter(sent, req.Count)
		}
	}
	return nil
}

// failedAfter is the status of a Count asked to fail after sent items.
func failedAfter(sent int, count int64) error {
	st, err := status.New(codes.InvalidArgument, fmt.Sprintf("failing as asked, after %d of %d items", sent, count)).
		WithDetails(&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{
			Field:       "fail_after",
			Description: fmt.Sprintf("asked to fail after %d of %d items", sent, count),
		}}})
	if err != nil {
		return status.Errorf(codes.Internal, "attaching the BadRequest: %v", err)
	}
	return st.Err()
}

// deadlineSlack: a host's cancel this close to the deadline is the deadline
// passing (its gRPC cancels the stream when its own timer fires, a transit
// time before ours), as the bridge reads it.
const deadlineSlack = 250 * time.Millisecond

// recordStop writes cancelled-<tag> with the status code as the script
// names it ("CANCELLED", "DEADLINE_EXCEEDED").
func (s *inventory) recordStop(ctx context.Context, tag string, sent int) {
	code := "CANCELLED"
	deadline, ok := ctx.Deadline()
	if ctx.Err() == context.DeadlineExceeded || ok && time.Until(deadline) <= deadlineSlack {
		code = "DEADLINE_EXCEEDED"
	}
	text := fmt.Sprintf("%s after %d items", code, sent)
	if err := os.WriteFile("cancelled-"+tag, []byte(text), 0o644); err != nil {
		s.log.Error("recording the stop of a Count", "tag", tag, "error", err)
	}
}

func (*inventory) Sum(stream streamsrpc.Inventory_SumServer) error {
	var sum streamsrpc.Summary
	for {
		item, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(&sum)
		}
		if err != nil {
			return err
		}
		sum.Count++
		sum.Total += item.N
	}
}

func (*inventory) Echo(stream streamsrpc.Inventory_EchoServer) error {
	for {
		ping, err := stream.Recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := stream.Send(&streamsrpc.Ping{Seq: ping.Seq, Payload: ping.Payload}); err != nil {
			return err
		}
	}
}
