package benchrpc

import (
	"context"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// PluginName is the name under which the Bench plugin is dispensed. The
// handshake is kvrpc.Handshake: the peers serve Bench with the KV example's
// cookie, so one host configuration starts either.
const PluginName = "bench_grpc"

// BenchPlugin is the go-plugin Plugin for the Bench service, gRPC only.
// Impl is needed on the plugin (server) side only.
type BenchPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	Impl Server
}

// GRPCServer registers Impl on the plugin's gRPC server.
func (p *BenchPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	RegisterServer(s, p.Impl)
	return nil
}

// GRPCClient returns a *Client for the connection to the plugin.
func (p *BenchPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, conn *grpc.ClientConn) (interface{}, error) {
	return NewClient(conn), nil
}
