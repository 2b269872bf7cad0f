package callbackrpc

import (
	"context"
	"io"
)

// Adder is an AddHelper: the host's (By "host") in the example host and the
// tests, and the one the Go plugin offers (By the name given to Offer).
type Adder struct {
	By string
}

// Sum returns a + b.
func (a *Adder) Sum(_ context.Context, req *SumRequest) (*SumResponse, error) {
	return &SumResponse{Result: req.A + req.B, By: a.By}, nil
}

// Range sends from, from+1, ..., to.
func (a *Adder) Range(req *RangeRequest, stream AddHelper_RangeServer) error {
	for n := req.From; n <= req.To; n++ {
		if err := stream.Send(&Number{N: n}); err != nil {
			return err
		}
	}
	return nil
}

// Total adds up the numbers sent.
func (a *Adder) Total(stream AddHelper_TotalServer) error {
	var total int64
	for {
		num, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(&SumResponse{Result: total, By: a.By})
		}
		if err != nil {
			return err
		}
		total += num.N
	}
}

// Running sends the sum so far after each number, before reading the next.
func (a *Adder) Running(stream AddHelper_RunningServer) error {
	var total int64
	for {
		num, err := stream.Recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		total += num.N
		if err := stream.Send(&Number{N: total}); err != nil {
			return err
		}
	}
}
