package main

import (
	"context"
	"io"
	"sync"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"bridge/host/callbackrpc"
)

// counter serves callback.Counter, calling back the host's AddHelper.
type counter struct {
	broker *plugin.GRPCBroker

	mu     sync.Mutex
	values map[string]int64
}

// dial dials the host's AddHelper under id. A failure is UNAVAILABLE naming
// the id, as the bridge's broker.dial fails (go-plugin's own error does not
// name it).
func (c *counter) dial(id uint32) (callbackrpc.AddHelperClient, *grpc.ClientConn, error) {
	conn, err := c.broker.Dial(id)
	if err != nil {
		return nil, nil, status.Errorf(codes.Unavailable, "dialing the host's AddHelper under broker id %d: %v", id, err)
	}
	return callbackrpc.NewAddHelperClient(conn), conn, nil
}

// Put adds value to key's value with the host's AddHelper.Sum. The lock is
// held across the call so that concurrent Puts of one key add up.
func (c *counter) Put(ctx context.Context, req *callbackrpc.PutRequest) (*callbackrpc.PutResponse, error) {
	helper, conn, err := c.dial(req.AddServer)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	c.mu.Lock()
	defer c.mu.Unlock()
	sum, err := helper.Sum(ctx, &callbackrpc.SumRequest{A: c.values[req.Key], B: req.Value})
	if err != nil {
		return nil, err
	}
	c.values[req.Key] = sum.Result
	return &callbackrpc.PutResponse{Value: sum.Result}, nil
}

func (c *counter) Get(_ context.Context, req *callbackrpc.GetRequest) (*callbackrpc.GetResponse, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return &callbackrpc.GetResponse{Value: c.values[req.Key]}, nil
}

// AddAll calls the host's AddHelper with each streaming shape: Total of the
// numbers, Running of the numbers, then Range(1, total) added up here.
func (c *counter) AddAll(ctx context.Context, req *callbackrpc.AddAllRequest) (*callbackrpc.AddAllResponse, error) {
	helper, conn, err := c.dial(req.AddServer)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	var resp callbackrpc.AddAllResponse
	if resp.Total, err = total(ctx, helper, req.Numbers); err != nil {
		return nil, err
	}
	if resp.Running, err = running(ctx, helper, req.Numbers); err != nil {
		return nil, err
	}
	stream, err := helper.Range(ctx, &callbackrpc.RangeRequest{From: 1, To: resp.Total})
	if err != nil {
		return nil, err
	}
	for {
		num, err := stream.Recv()
		if err == io.EOF {
			return &resp, nil
		}
		if err != nil {
			return nil, err
		}
		resp.RangeTotal += num.N
	}
}

func total(ctx context.Context, helper callbackrpc.AddHelperClient, numbers []int64) (int64, error) {
	stream, err := helper.Total(ctx)
	if err != nil {
		return 0, err
	}
	for _, n := range numbers {
		if err := stream.Send(&callbackrpc.Number{N: n}); err != nil {
			break // the status comes from CloseAndRecv
		}
	}
	sum, err := stream.CloseAndRecv()
	if err != nil {
		return 0, err
	}
	return sum.Result, nil
}

// running sends each number and reads the sum so far before the next.
func running(ctx context.Context, helper callbackrpc.AddHelperClient, numbers []int64) ([]int64, error) {
	stream, err := helper.Running(ctx)
	if err != nil {
		return nil, err
	}
	var sums []int64
	for _, n := range numbers {
		if err := stream.Send(&callbackrpc.Number{N: n}); err != nil {
			break // the status comes from Recv
		}
		num, err := stream.Recv()
		if err != nil {
			return nil, err
		}
		sums = append(sums, num.N)
	}
	if err := stream.CloseSend(); err != nil {
		return nil, err
	}
	if _, err := stream.Recv(); err != io.EOF {
		if err == nil {
			err = status.Error(codes.Internal, "AddHelper.Running sent more sums than numbers")
		}
		return nil, err
	}
	return sums, nil
}

// Offer serves an AddHelper answering as req.Name through the broker, until
// the plugin stops, and returns its id.
func (c *counter) Offer(_ context.Context, req *callbackrpc.OfferRequest) (*callbackrpc.OfferResponse, error) {
	id, _ := callbackrpc.Offer(c.broker, func(s *grpc.Server) {
		callbackrpc.RegisterAddHelperServer(s, &callbackrpc.Adder{By: req.Name})
	})
	return &callbackrpc.OfferResponse{BrokerId: id}, nil
}
