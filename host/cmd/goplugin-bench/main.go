// Command goplugin-bench is the native Go peer of bench/speed's CPU-heavy
// benchmark: a go-plugin plugin serving bench.Bench, whose Transform parses
// a JSON document, transforms it (benchrpc.Transform) and serialises it
// again; Stream sends the items asked for and Echo answers each item it
// receives; Fetch GETs a JSON document with net/http and answers with its
// "name". The Go peer's KV service is goplugin-kv.
package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"strings"

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

// Stream sends req.Count items; Send blocks while the host is not reading
// (gRPC's flow control), so the stream runs in bounded memory.
func (bench) Stream(req *benchrpc.StreamRequest, stream benchrpc.StreamServer) error {
	payload := strings.Repeat("x", int(req.Size))
	for i := uint32(0); i < req.Count; i++ {
		if err := stream.Send(&benchrpc.Item{Seq: i, Payload: payload}); err != nil {
			return err
		}
	}
	return nil
}

// Echo answers every item with an equal one until the host closes its side.
func (bench) Echo(stream benchrpc.EchoServer) error {
	for {
		item, err := stream.Recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := stream.Send(item); err != nil {
			return err
		}
	}
}

// fetchClient keeps a connection per concurrent caller alive (net/http's
// default keeps 2 per host idle, which would reconnect under 8 callers).
var fetchClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

func (bench) Fetch(ctx context.Context, req *benchrpc.FetchRequest) (*benchrpc.FetchReply, error) {
	name, err := benchrpc.FetchName(ctx, fetchClient, req.Url)
	if err != nil {
		return nil, status.Error(codes.Unavailable, err.Error())
	}
	return &benchrpc.FetchReply{Name: name}, nil
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
