package callbackrpc

import (
	"context"
	"sync"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// Handshake is the handshake of the callback plugins (the same as
// scripts/callback.plugin.json's).
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  1,
	MagicCookieKey:   "CALLBACK_PLUGIN",
	MagicCookieValue: "ring-back",
}

// PluginName is the name under which the callback plugin is dispensed.
const PluginName = "callback_grpc"

// Client is the host's side: the plugin's Counter, and the broker through
// which the host offers its AddHelper and dials the plugin's.
type Client struct {
	Counter CounterClient
	Broker  *plugin.GRPCBroker
}

// ServeAddHelper offers impl through the broker under a new id, for one
// request to name (the plugin dials it back); stop ends the offer and the
// connections made to it, as go-plugin's bidirectional example does after
// its Put.
func (c *Client) ServeAddHelper(impl AddHelperServer) (id uint32, stop func()) {
	return Offer(c.Broker, func(s *grpc.Server) { RegisterAddHelperServer(s, impl) })
}

// DialAddHelper dials the AddHelper the plugin offers under id (Counter.Offer).
func (c *Client) DialAddHelper(id uint32) (AddHelperClient, *grpc.ClientConn, error) {
	conn, err := c.Broker.Dial(id)
	if err != nil {
		return nil, nil, err
	}
	return NewAddHelperClient(conn), conn, nil
}

// Offer serves what register registers through broker under a new id until
// stop is called or the broker closes; options are added to the broker's
// (its TLS). AcceptAndServe builds the server on its own goroutine, so stop
// may come before the server exists: then it is stopped as soon as it does.
func Offer(broker *plugin.GRPCBroker, register func(*grpc.Server), options ...grpc.ServerOption) (id uint32, stop func()) {
	var (
		mu      sync.Mutex
		server  *grpc.Server
		stopped bool
	)
	id = broker.NextId()
	go broker.AcceptAndServe(id, func(opts []grpc.ServerOption) *grpc.Server {
		s := grpc.NewServer(append(opts, options...)...)
		register(s)
		mu.Lock()
		defer mu.Unlock()
		server = s
		if stopped {
			s.Stop()
		}
		return s
	})
	return id, func() {
		mu.Lock()
		defer mu.Unlock()
		stopped = true
		if server != nil {
			server.Stop()
		}
	}
}

// Plugin is the go-plugin Plugin for the Counter service, gRPC only.
// Impl is needed on the plugin (server) side only: it is given the plugin's
// broker.
type Plugin struct {
	plugin.NetRPCUnsupportedPlugin
	Impl func(broker *plugin.GRPCBroker) CounterServer
}

// GRPCServer registers the Counter on the plugin's gRPC server.
func (p *Plugin) GRPCServer(broker *plugin.GRPCBroker, s *grpc.Server) error {
	RegisterCounterServer(s, p.Impl(broker))
	return nil
}

// GRPCClient returns a *Client for the connection to the plugin.
func (p *Plugin) GRPCClient(_ context.Context, broker *plugin.GRPCBroker, conn *grpc.ClientConn) (interface{}, error) {
	return &Client{Counter: NewCounterClient(conn), Broker: broker}, nil
}

// PluginMap returns the plugin set for host or plugin; impl is nil on the
// host side.
func PluginMap(impl func(*plugin.GRPCBroker) CounterServer) map[string]plugin.Plugin {
	return map[string]plugin.Plugin{PluginName: &Plugin{Impl: impl}}
}
