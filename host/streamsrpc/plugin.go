package streamsrpc

import (
	"context"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// Handshake is the handshake of the streams plugins (the same as
// scripts/streams.plugin.json's).
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  1,
	MagicCookieKey:   "STREAMS_PLUGIN",
	MagicCookieValue: "flowing",
}

// PluginName is the name under which the streams plugin is dispensed.
const PluginName = "streams_grpc"

// Client calls both services of the plugin over one connection.
type Client struct {
	Conn      *grpc.ClientConn
	Inventory InventoryClient
	Orders    OrdersClient
}

// NewClient wraps conn.
func NewClient(conn *grpc.ClientConn) *Client {
	return &Client{Conn: conn, Inventory: NewInventoryClient(conn), Orders: NewOrdersClient(conn)}
}

// Servers is what a streams plugin implements: both services.
type Servers struct {
	Inventory InventoryServer
	Orders    OrdersServer
}

// Plugin is the go-plugin Plugin for the streams services, gRPC only.
// Impl is needed on the plugin (server) side only.
type Plugin struct {
	plugin.NetRPCUnsupportedPlugin
	Impl Servers
}

// GRPCServer registers both services on the plugin's gRPC server.
func (p *Plugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	RegisterInventoryServer(s, p.Impl.Inventory)
	RegisterOrdersServer(s, p.Impl.Orders)
	return nil
}

// GRPCClient returns a *Client for the connection to the plugin.
func (p *Plugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, conn *grpc.ClientConn) (interface{}, error) {
	return NewClient(conn), nil
}

// PluginMap returns the plugin set for host or plugin; impl is the zero
// Servers on the host side.
func PluginMap(impl Servers) map[string]plugin.Plugin {
	return map[string]plugin.Plugin{PluginName: &Plugin{Impl: impl}}
}
