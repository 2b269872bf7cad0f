package main

import (
	"context"

	"bridge/host/streamsrpc"
)

// orders serves streams.Orders, whose Get shares its name with Inventory's
// and answers differently.
type orders struct{}

func (orders) Get(_ context.Context, req *streamsrpc.CountRequest) (*streamsrpc.Item, error) {
	return &streamsrpc.Item{Name: "orders:" + req.Tag}, nil
}
