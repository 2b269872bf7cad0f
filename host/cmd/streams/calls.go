package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"bridge/host/streamsrpc"
)

func count(ctx context.Context, c *streamsrpc.Client, args []string) error {
	n, err := number("N", args[0])
	if err != nil {
		return err
	}
	var delay int64
	if len(args) == 2 {
		if delay, err = number("DELAY_MS", args[1]); err != nil {
			return err
		}
	}
	stream, err := c.Inventory.Count(ctx, &streamsrpc.CountRequest{Count: n, Tag: "item", DelayMs: uint32(delay)})
	if err != nil {
		return err
	}
	header, err := stream.Header()
	if err != nil {
		return err
	}
	printMetadata("header", header)
	for {
		item, err := stream.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			printMetadata("trailer", stream.Trailer())
			return err
		}
		fmt.Printf("%s (n=%d)\n", item.Name, item.N)
	}
	printMetadata("trailer", stream.Trailer())
	return nil
}

func sum(ctx context.Context, c *streamsrpc.Client, args []string) error {
	n, err := number("N", args[0])
	if err != nil {
		return err
	}
	stream, err := c.Inventory.Sum(ctx)
	if err != nil {
		return err
	}
	for i := int64(1); i <= n; i++ {
		if err := stream.Send(&streamsrpc.Item{N: i}); err != nil {
			break // the status comes from CloseAndRecv
		}
	}
	summary, err := stream.CloseAndRecv()
	if err != nil {
		return err
	}
	fmt.Printf("count %d, total %d\n", summary.Count, summary.Total)
	return nil
}

// echo sends one ping a word and waits for its echo before the next.
func echo(ctx context.Context, c *streamsrpc.Client, words []string) error {
	stream, err := c.Inventory.Echo(ctx)
	if err != nil {
		return err
	}
	for i, w := range words {
		if err := stream.Send(&streamsrpc.Ping{Seq: int64(i + 1), Payload: []byte(w)}); err != nil {
			break // the status comes from Recv
		}
		ping, err := stream.Recv()
		if err != nil {
			return err
		}
		fmt.Printf("echo %d: %s\n", ping.Seq, ping.Payload)
	}
	if err := stream.CloseSend(); err != nil {
		return err
	}
	if _, err := stream.Recv(); err != io.EOF {
		return fmt.Errorf("after the last echo: %v", err)
	}
	return nil
}

// get shows one method name served differently by two services.
func get(ctx context.Context, c *streamsrpc.Client, args []string) error {
	req := &streamsrpc.CountRequest{Tag: args[0]}
	for _, call := range []struct {
		name string
		get  func(context.Context, *streamsrpc.CountRequest, ...grpc.CallOption) (*streamsrpc.Item, error)
	}{{"streams.Inventory/Get", c.Inventory.Get}, {"streams.Orders/Get", c.Orders.Get}} {
		item, err := call.get(ctx, req)
		if err != nil {
			return fmt.Errorf("%s: %v", call.name, err)
		}
		fmt.Printf("%s: %s\n", call.name, item.Name)
	}
	return nil
}

// printMetadata shows the headers or trailers the plugin set, sorted
// (those gRPC sets itself, content-type and grpc-*, left out).
func printMetadata(kind string, md metadata.MD) {
	names := make([]string, 0, len(md))
	for name := range md {
		if name != "content-type" && !strings.HasPrefix(name, "grpc-") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(os.Stderr, "%s %s: %s\n", kind, name, strings.Join(md[name], ", "))
	}
}
