package kvrpc

import (
	"context"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// Handshake is the handshake shared by the host and the plugins (the same
// as go-plugin's examples/grpc).
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  1,
	MagicCookieKey:   "BASIC_PLUGIN",
	MagicCookieValue: "hello",
}

// PluginName is the name under which the KV plugin is dispensed.
const PluginName = "kv_grpc"

// KVPlugin is the go-plugin Plugin for the KV service, gRPC only.
// Impl is needed on the plugin (server) side only.
type KVPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	Impl Server
}

// GRPCServer registers Impl on the plugin's gRPC server.
func (p *KVPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	RegisterServer(s, p.Impl)
	return nil
}

// GRPCClient returns a *Client for the connection to the plugin.
func (p *KVPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, conn *grpc.ClientConn) (interface{}, error) {
	return NewClient(conn), nil
}

// PluginMap returns the plugin set for host or plugin; impl may be nil on
// the host side.
func PluginMap(impl Server) map[string]plugin.Plugin {
	return map[string]plugin.Plugin{PluginName: &KVPlugin{Impl: impl}}
}
