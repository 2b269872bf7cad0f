// Command goplugin-bench is the native Go peer of bench/speed's CPU-heavy
// benchmark: a go-plugin plugin serving bench.Bench, whose Transform parses
// a JSON document, transforms it (benchrpc.Transform) and serialises it
// again. The Go peer's KV service is goplugin-kv.
package main

import (
	"context"
	"os"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"bridge/host/benchrpc"
	"bridge/host/kvrpc"
)

type bench struct{}

func (bench) Transform(_ context.Context, req *benchrpc.Doc) (*benchrpc.Doc, error) {
	out, err := benchrpc.TransformJSON(req.Json)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &benchrpc.Doc{Json: out}, nil
}

func main() {
	logger := hclog.New(&hclog.LoggerOptions{
		Name:       "goplugin-bench",
		Level:      hclog.Info,
		Output:     os.Stderr,
		JSONFormat: true,
	})
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: kvrpc.Handshake,
		Plugins:         map[string]plugin.Plugin{benchrpc.PluginName: &benchrpc.BenchPlugin{Impl: bench{}}},
		GRPCServer:      plugin.DefaultGRPCServer,
		Logger:          logger,
	})
}
