package main

import (
	"context"
	"fmt"
	"io"

	"bridge/host/callbackrpc"
)

// put offers the host's AddHelper for each Put, as go-plugin's
// bidirectional example does, and prints the key's value after each.
func put(ctx context.Context, c *callbackrpc.Client, args []string) error {
	key := args[0]
	values, err := numbers(args[1:])
	if err != nil {
		return err
	}
	for _, v := range values {
		id, stop := c.ServeAddHelper(&callbackrpc.Adder{By: "host"})
		resp, err := c.Counter.Put(ctx, &callbackrpc.PutRequest{AddServer: id, Key: key, Value: v})
		stop()
		if err != nil {
			return err
		}
		fmt.Printf("%s = %d (added %d with the host's AddHelper, broker id %d)\n", key, resp.Value, v, id)
	}
	got, err := c.Counter.Get(ctx, &callbackrpc.GetRequest{Key: key})
	if err != nil {
		return err
	}
	fmt.Printf("get %s: %d\n", key, got.Value)
	return nil
}

// add has the plugin call the host's AddHelper with every streaming shape.
func add(ctx context.Context, c *callbackrpc.Client, args []string) error {
	ns, err := numbers(args)
	if err != nil {
		return err
	}
	id, stop := c.ServeAddHelper(&callbackrpc.Adder{By: "host"})
	defer stop()
	resp, err := c.Counter.AddAll(ctx, &callbackrpc.AddAllRequest{AddServer: id, Numbers: ns})
	if err != nil {
		return err
	}
	fmt.Printf("total %d, running %v, 1+...+%d = %d\n", resp.Total, resp.Running, resp.Total, resp.RangeTotal)
	return nil
}

// offer dials the AddHelper the plugin offers and calls each method.
func offer(ctx context.Context, c *callbackrpc.Client, args []string) error {
	ns, err := numbers(args[1:])
	if err != nil {
		return err
	}
	resp, err := c.Counter.Offer(ctx, &callbackrpc.OfferRequest{Name: args[0]})
	if err != nil {
		return err
	}
	helper, conn, err := c.DialAddHelper(resp.BrokerId)
	if err != nil {
		return fmt.Errorf("dialing broker id %d: %v", resp.BrokerId, err)
	}
	defer conn.Close()
	sum, err := helper.Sum(ctx, &callbackrpc.SumRequest{A: ns[0], B: ns[1]})
	if err != nil {
		return err
	}
	fmt.Printf("Sum(%d, %d) = %d by %s (broker id %d)\n", ns[0], ns[1], sum.Result, sum.By, resp.BrokerId)

	rng, err := helper.Range(ctx, &callbackrpc.RangeRequest{From: ns[0], To: ns[1]})
	if err != nil {
		return err
	}
	var got []int64
	for {
		num, err := rng.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		got = append(got, num.N)
	}
	fmt.Printf("Range(%d, %d) = %v\n", ns[0], ns[1], got)

	total, err := helper.Total(ctx)
	if err != nil {
		return err
	}
	for _, n := range ns {
		if err := total.Send(&callbackrpc.Number{N: n}); err != nil {
			break // the status comes from CloseAndRecv
		}
	}
	t, err := total.CloseAndRecv()
	if err != nil {
		return err
	}
	fmt.Printf("Total(%d, %d) = %d\n", ns[0], ns[1], t.Result)

	running, err := helper.Running(ctx)
	if err != nil {
		return err
	}
	for _, n := range ns {
		if err := running.Send(&callbackrpc.Number{N: n}); err != nil {
			break
		}
		num, err := running.Recv()
		if err != nil {
			return err
		}
		fmt.Printf("Running: +%d = %d\n", n, num.N)
	}
	if err := running.CloseSend(); err != nil {
		return err
	}
	if _, err := running.Recv(); err != io.EOF {
		return fmt.Errorf("Running after the last sum: %v", err)
	}
	return nil
}
