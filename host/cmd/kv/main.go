// Command kv is a go-plugin host for the KV service, like go-plugin's
// examples/grpc host:
//
//	KV_PROTO=grpc KV_PLUGIN="exec bridge/bin/bridgejs scripts/kv.js" kv put KEY VALUE
//	KV_PROTO=grpc KV_PLUGIN="..." kv get KEY
//	KV_PROTO=grpc KV_PLUGIN="..." kv shell
//
// put and get start the plugin, make one call and stop it. shell keeps one
// plugin session open and reads put/get commands from stdin, one a line,
// until EOF or "quit": a long-lived host, as dev mode's reloads need.
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
  kv shell          one plugin session; put/get commands from stdin (see "help")

environment:
  KV_PLUGIN     plugin command line, run with sh -c (required)
  KV_PROTO      plugin protocol; must be "grpc" (required)
  KV_LOG_LEVEL  host log level on stderr (default warn)
`

// callTimeout bounds one call, as the host's deadline.
const callTimeout = 2 * time.Minute

func main() {
	os.Exit(run(os.Args[1:]))
}

func fail(code int, format string, args ...interface{}) int {
	fmt.Fprintf(os.Stderr, "kv: "+format+"\n", args...)
	return code
}

func validArgs(args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch args[0] {
	case "put":
		return len(args) == 3
	case "get":
		return len(args) == 2
	case "shell":
		return len(args) == 1
	}
	return false
}

func run(args []string) int {
	if !validArgs(args) {
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

	switch args[0] {
	case "put":
		if err := put(kv, args[1], args[2]); err != nil {
			return fail(1, "%v", err)
		}
	case "get":
		if err := get(kv, args[1], os.Stdout); err != nil {
			return fail(1, "%v", err)
		}
	case "shell":
		return shell(kv, client, os.Stdin, os.Stdout, os.Stderr)
	}
	return 0
}

func put(kv *kvrpc.Client, key, value string) error {
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	defer cancel()
	if err := kv.Put(ctx, key, []byte(value)); err != nil {
		return fmt.Errorf("put %q: %v", key, err)
	}
	return nil
}

func get(kv *kvrpc.Client, key string, out *os.File) error {
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	defer cancel()
	value, err := kv.Get(ctx, key)
	if err != nil {
		return fmt.Errorf("get %q: %v", key, err)
	}
	_, err = out.Write(append(value, '\n'))
	return err
}
