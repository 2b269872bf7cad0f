// Command goplugin-streams is a native Go go-plugin serving the streaming
// example (proto/streams.proto) as the bridge running scripts/streams.js
// does, down to its headers, trailers, errors and the cancelled-<tag> files
// it writes in its working directory. It is the reference the streams tests
// of the end-to-end suite are validated against (host/e2e/streams_test.go).
package main

import (
	"os"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"

	"bridge/host/streamsrpc"
)

func main() {
	logger := hclog.New(&hclog.LoggerOptions{
		Name:       "goplugin-streams",
		Level:      hclog.Debug,
		Output:     os.Stderr,
		JSONFormat: true,
	})
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: streamsrpc.Handshake,
		Plugins: streamsrpc.PluginMap(streamsrpc.Servers{
			Inventory: &inventory{log: logger},
			Orders:    orders{},
		}),
		GRPCServer: plugin.DefaultGRPCServer,
		Logger:     logger,
	})
}
