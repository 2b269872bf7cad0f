// Command goplugin-callback is a native Go go-plugin serving the broker
// example (proto/callback.proto) as the bridge running scripts/callback.js
// does: it dials the host's AddHelper with go-plugin's broker.Dial and offers
// an AddHelper of its own with broker.AcceptAndServe. It is the reference the
// callback tests of the end-to-end suite are validated against
// (host/e2e/callback_test.go).
package main

import (
	"os"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"

	"bridge/host/callbackrpc"
)

func main() {
	logger := hclog.New(&hclog.LoggerOptions{
		Name:       "goplugin-callback",
		Level:      hclog.Debug,
		Output:     os.Stderr,
		JSONFormat: true,
	})
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: callbackrpc.Handshake,
		Plugins: callbackrpc.PluginMap(func(broker *plugin.GRPCBroker) callbackrpc.CounterServer {
			dialableUnderAutoMTLS(broker)
			return &counter{broker: broker, values: map[string]int64{}}
		}),
		GRPCServer: plugin.DefaultGRPCServer,
		Logger:     logger,
	})
}
