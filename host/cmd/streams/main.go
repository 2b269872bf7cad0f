// Command streams is a go-plugin host for the streaming example
// (proto/streams.proto), to try each call shape against a plugin:
//
//	STREAMS_PLUGIN="exec bridge/bin/bridgejs scripts/streams.js" streams count 3
//	STREAMS_PLUGIN="..." streams count 50 200    (200 ms apart; Ctrl-C cancels the call,
//	                                             and the plugin writes cancelled-item)
//	STREAMS_PLUGIN="..." streams sum 1000000
//	STREAMS_PLUGIN="..." streams echo a b c
//	STREAMS_PLUGIN="..." streams get tag
//
// Each command starts the plugin, makes its call(s) and stops it. Items and
// answers go to stdout as they come; response headers and trailers go to
// stderr. STREAMS_PLUGIN is a command line, run with `sh -c`;
// STREAMS_LOG_LEVEL (trace, debug, info, warn, error; default warn) sets
// the level of the host's log on stderr, which includes the plugin's.
package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"

	"bridge/host/streamsrpc"
)

const usage = `usage:
  streams count N [DELAY_MS]   Inventory.Count: N items from the plugin, DELAY_MS apart
  streams sum N                Inventory.Sum: sends items 1..N, prints the summary
  streams echo WORD...         Inventory.Echo: each word as a ping, each echo as it comes
  streams get TAG              Inventory.Get and Orders.Get, one method name, two services

environment:
  STREAMS_PLUGIN     plugin command line, run with sh -c (required)
  STREAMS_LOG_LEVEL  host log level on stderr (default warn)
`

func main() {
	os.Exit(run(os.Args[1:]))
}

func fail(code int, format string, args ...interface{}) int {
	fmt.Fprintf(os.Stderr, "streams: "+format+"\n", args...)
	return code
}

// command is one subcommand, given the client and its arguments.
type command struct {
	minArgs, maxArgs int
	run              func(ctx context.Context, c *streamsrpc.Client, args []string) error
}

var commands = map[string]command{
	"count": {1, 2, count},
	"sum":   {1, 1, sum},
	"echo":  {1, -1, echo},
	"get":   {1, 1, get},
}

func run(args []string) int {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return 2
	}
	cmd, ok := commands[args[0]]
	if n := len(args) - 1; !ok || n < cmd.minArgs || (cmd.maxArgs >= 0 && n > cmd.maxArgs) {
		fmt.Fprint(os.Stderr, usage)
		return 2
	}
	cmdline := os.Getenv("STREAMS_PLUGIN")
	if cmdline == "" {
		return fail(2, "STREAMS_PLUGIN is not set; it must be the plugin's command line")
	}
	level := hclog.LevelFromString(os.Getenv("STREAMS_LOG_LEVEL"))
	if level == hclog.NoLevel {
		level = hclog.Warn
	}
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  streamsrpc.Handshake,
		Plugins:          streamsrpc.PluginMap(streamsrpc.Servers{}),
		Cmd:              exec.Command("sh", "-c", cmdline),
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		Logger:           hclog.New(&hclog.LoggerOptions{Name: "streams", Output: os.Stderr, Level: level}),
		Managed:          true,
		StartTimeout:     2 * time.Minute,
	})
	defer plugin.CleanupClients()
	defer client.Kill()

	rpcClient, err := client.Client()
	if err != nil {
		return fail(1, "starting plugin %q: %v", cmdline, err)
	}
	raw, err := rpcClient.Dispense(streamsrpc.PluginName)
	if err != nil {
		return fail(1, "dispensing %s: %v", streamsrpc.PluginName, err)
	}
	// Ctrl-C cancels the call (the plugin sees CANCELLED) instead of killing the host.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := cmd.run(ctx, raw.(*streamsrpc.Client), args[1:]); err != nil {
		return fail(1, "%s: %v", args[0], err)
	}
	return 0
}

// number parses a command-line count.
func number(name, s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s %q: want a whole number", name, s)
	}
	return n, nil
}
