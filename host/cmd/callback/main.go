// Command callback is a go-plugin host for the broker example
// (proto/callback.proto): calls go both ways through go-plugin's broker.
//
//	CALLBACK_PLUGIN="exec bridge/bin/bridgejs scripts/callback.js" callback put apples 3 4
//	CALLBACK_PLUGIN="..." callback add 1 2 3
//	CALLBACK_PLUGIN="..." callback offer js 20 22
//
// put and add offer the host's AddHelper through the broker and name its id
// in the request; the plugin dials it back to add. offer asks the plugin to
// offer an AddHelper of its own and dials it. Each command starts the
// plugin, makes its calls and stops it. CALLBACK_PLUGIN is a command line,
// run with `sh -c`; CALLBACK_LOG_LEVEL (trace, debug, info, warn, error;
// default warn) sets the level of the host's log on stderr, which includes
// the plugin's.
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

	"bridge/host/callbackrpc"
)

const usage = `usage:
  callback put KEY VALUE...   Counter.Put of each value; the plugin adds with the host's AddHelper.Sum
  callback add N...           Counter.AddAll; the plugin calls the host's AddHelper.Total, Running and Range
  callback offer NAME A B     Counter.Offer, then the plugin's AddHelper: Sum(A, B), Range, Total, Running

environment:
  CALLBACK_PLUGIN     plugin command line, run with sh -c (required)
  CALLBACK_LOG_LEVEL  host log level on stderr (default warn)
`

func main() {
	os.Exit(run(os.Args[1:]))
}

func fail(code int, format string, args ...interface{}) int {
	fmt.Fprintf(os.Stderr, "callback: "+format+"\n", args...)
	return code
}

// command is one subcommand, given the client and its arguments.
type command struct {
	minArgs, maxArgs int
	run              func(ctx context.Context, c *callbackrpc.Client, args []string) error
}

var commands = map[string]command{
	"put":   {2, -1, put},
	"add":   {1, -1, add},
	"offer": {3, 3, offer},
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
	cmdline := os.Getenv("CALLBACK_PLUGIN")
	if cmdline == "" {
		return fail(2, "CALLBACK_PLUGIN is not set; it must be the plugin's command line")
	}
	level := hclog.LevelFromString(os.Getenv("CALLBACK_LOG_LEVEL"))
	if level == hclog.NoLevel {
		level = hclog.Warn
	}
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  callbackrpc.Handshake,
		Plugins:          callbackrpc.PluginMap(nil),
		Cmd:              exec.Command("sh", "-c", cmdline),
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		Logger:           hclog.New(&hclog.LoggerOptions{Name: "callback", Output: os.Stderr, Level: level}),
		Managed:          true,
		StartTimeout:     2 * time.Minute,
	})
	defer plugin.CleanupClients()
	defer client.Kill()

	rpcClient, err := client.Client()
	if err != nil {
		return fail(1, "starting plugin %q: %v", cmdline, err)
	}
	raw, err := rpcClient.Dispense(callbackrpc.PluginName)
	if err != nil {
		return fail(1, "dispensing %s: %v", callbackrpc.PluginName, err)
	}
	// Ctrl-C cancels the call instead of killing the host.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := cmd.run(ctx, raw.(*callbackrpc.Client), args[1:]); err != nil {
		return fail(1, "%s: %v", args[0], err)
	}
	return 0
}

// numbers parses command-line numbers.
func numbers(args []string) ([]int64, error) {
	ns := make([]int64, len(args))
	for i, s := range args {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q: want a whole number", s)
		}
		ns[i] = n
	}
	return ns, nil
}
