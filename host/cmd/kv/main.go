// Command kv is a go-plugin host for the KV service, like go-plugin's
// examples/grpc host:
//
//	KV_PROTO=grpc KV_PLUGIN="exec bridge/bin/bridge scripts/kv.js" kv put KEY VALUE
//	KV_PROTO=grpc KV_PLUGIN="..." kv get KEY
//
// KV_PLUGIN is a command line, run with `sh -c`. KV_PROTO must be "grpc".
// KV_LOG_LEVEL (trace, debug, info, warn, error; default warn) sets the
// level of the host's log on stderr, which includes the plugin's log lines.
package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"

	"bridge/host/kvrpc"
)

const usage = `usage:
  kv put KEY VALUE
  kv get KEY

environment:
  KV_PLUGIN     plugin command line, run with sh -c (required)
  KV_PROTO      plugin protocol; must be "grpc" (required)
  KV_LOG_LEVEL  host log level on stderr (default warn)
`

func main() {
	os.Exit(run(os.Args[1:]))
}

func fail(code int, format string, args ...interface{}) int {
	fmt.Fprintf(os.Stderr, "kv: "+format+"\n", args...)
	return code
}

func run(args []string) int {
	if len(args) == 0 || (args[0] == "put" && len(args) != 3) || (args[0] == "get" && len(args) != 2) ||
		(args[0] != "put" && args[0] != "get") {
		fmt.Fprint(os.Stderr, usage)
		return 2
	}
	switch proto := os.Getenv("KV_PROTO"); proto {
	case "grpc":
	case "":
		return fail(2, "KV_PROTO is not set; it must be \"grpc\"")
	default:
		return fail(2, "unsupported KV_PROTO %q: only \"grpc\" is supported", proto)
	}
	cmdline := os.Getenv("KV_PLUGIN")
	if cmdline == "" {
		return fail(2, "KV_PLUGIN is not set; it must be the plugin's command line")
	}

	level := hclog.LevelFromString(os.Getenv("KV_LOG_LEVEL"))
	if level == hclog.NoLevel {
		level = hclog.Warn
	}
	logger := hclog.New(&hclog.LoggerOptions{Name: "kv", Output: os.Stderr, Level: level})

	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  kvrpc.Handshake,
		Plugins:          kvrpc.PluginMap(nil),
		Cmd:              exec.Command("sh", "-c", cmdline),
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		Logger:           logger,
		Managed:          true,
		StartTimeout:     2 * time.Minute,
	})
	defer plugin.CleanupClients()
	defer client.Kill()

	rpcClient, err := client.Client()
	if err != nil {
		return fail(1, "starting plugin %q: %v", cmdline, err)
	}
	raw, err := rpcClient.Dispense(kvrpc.PluginName)
	if err != nil {
		return fail(1, "dispensing %s: %v", kvrpc.PluginName, err)
	}
	kv := raw.(*kvrpc.Client)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	switch args[0] {
	case "put":
		if err := kv.Put(ctx, args[1], []byte(args[2])); err != nil {
			return fail(1, "put %q: %v", args[1], err)
		}
	case "get":
		value, err := kv.Get(ctx, args[1])
		if err != nil {
			return fail(1, "get %q: %v", args[1], err)
		}
		os.Stdout.Write(append(value, '\n'))
	}
	return 0
}
