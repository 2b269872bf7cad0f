package e2e

// The broker's protocol details through go-plugin 1.0.1's own GRPCBroker,
// with the repository's KV service on both sides (callback_test.go covers the
// example: every call shape, AutoMTLS, many ids, an id never offered, Kill):
// a host's status reaching the script, broker.stop, brokered servers over TCP
// in the port range, no socket left behind. The test plugin's Get takes
// commands in its key:
//
//	dial:<id>:<key>   broker.dial(id, "proto.KV"), then Get(key) on it
//	serve:<prefix>    broker.serve a KV whose Get answers <prefix><key>; value: the id
//	stop:<id>         broker.stop(id)

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"bridge/host/kvrpc"
	"bridge/host/logsink"
)

const brokerScript = `
const text = (s) => new TextEncoder().encode(s);

export async function Get({ key }) {
  const [verb, arg, ...rest] = key.split(":");
  if (verb === "dial") {
    const kv = await broker.dial(Number(arg), "proto.KV");
    const { value } = await kv.Get({ key: rest.join(":") });
    return { value };
  }
  if (verb === "serve") {
    const id = await broker.serve("proto.KV", {
      Get({ key }) { return { value: text(arg + key) }; },
      Put() { return {}; },
    });
    return { value: text(String(id)) };
  }
  if (verb === "stop") {
    await broker.stop(Number(arg));
    return { value: text("stopped") };
  }
  throw new RpcError("INVALID_ARGUMENT", "unknown command " + key);
}

export function Put() {
  return {};
}
`

// brokerKV is the KV plugin as a host that uses the broker sees it: the
// client and go-plugin's GRPCBroker of the connection.
type brokerKV struct {
	plugin.NetRPCUnsupportedPlugin
}

type brokerConn struct {
	KV     *kvrpc.Client
	Broker *plugin.GRPCBroker
}

func (brokerKV) GRPCServer(*plugin.GRPCBroker, *grpc.Server) error { return nil }

func (brokerKV) GRPCClient(_ context.Context, b *plugin.GRPCBroker, conn *grpc.ClientConn) (interface{}, error) {
	return &brokerConn{KV: kvrpc.NewClient(conn), Broker: b}, nil
}

// hostKV is a KV the host serves through the broker: Get answers prefix+key.
type hostKV struct{ prefix string }

func (h hostKV) Get(_ context.Context, req *kvrpc.GetRequest) (*kvrpc.GetResponse, error) {
	if req.Key == "missing" {
		return nil, status.Error(codes.NotFound, "host: no "+req.Key)
	}
	return &kvrpc.GetResponse{Value: []byte(h.prefix + req.Key)}, nil
}

func (hostKV) Put(context.Context, *kvrpc.PutRequest) (*kvrpc.Empty, error) {
	return &kvrpc.Empty{}, nil
}

type brokerPlug struct {
	t      *testing.T
	client *plugin.Client
	conn   *brokerConn
	logs   *logsink.Buffer
}

// startBrokerPlugin runs the test plugin (args before the script, such as
// --tcp) under go-plugin's client; minPort..maxPort is the port range (0: go-plugin's).
func startBrokerPlugin(t *testing.T, autoMTLS bool, minPort, maxPort uint, args ...string) *brokerPlug {
	t.Helper()
	return startBrokerPluginScript(t, autoMTLS, minPort, maxPort, kvPlugin(t, "broker", brokerScript), args...)
}

// startBrokerPluginScript is startBrokerPlugin with the script (a path) of a KV plugin of the test's own.
func startBrokerPluginScript(t *testing.T, autoMTLS bool, minPort, maxPort uint, script string, args ...string) *brokerPlug {
	t.Helper()
	bridgeLauncher(t)
	cmdline := bridgeCmdline(t, []string{"BRIDGE_LOG_LEVEL=debug"}, append(args, script)...)
	cmd := pluginCommand(t, t.TempDir())
	cmd.Args = []string{"sh", "-c", cmdline}
	logs := &logsink.Buffer{}
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  kvrpc.Handshake,
		Plugins:          map[string]plugin.Plugin{kvrpc.PluginName: brokerKV{}},
		Cmd:              cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		Logger:           hclog.New(&hclog.LoggerOptions{Name: "host", Level: hclog.Trace, Output: logs}),
		AutoMTLS:         autoMTLS,
		StartTimeout:     startTimeout(t),
		MinPort:          minPort,
		MaxPort:          maxPort,
	})
	t.Cleanup(func() {
		client.Kill()
		killGroup(cmd)
		if t.Failed() || os.Getenv("BRIDGE_E2E_VERBOSE") == "1" {
			t.Logf("plugin command: sh -c %q\n--- host/plugin log ---\n%s", cmdline, logs.String())
		}
	})
	rpc, err := client.Client()
	if err != nil {
		t.Fatalf("starting plugin: %v", err)
	}
	raw, err := rpc.Dispense(kvrpc.PluginName)
	if err != nil {
		t.Fatalf("dispense: %v", err)
	}
	return &brokerPlug{t: t, client: client, conn: raw.(*brokerConn), logs: logs}
}

func (p *brokerPlug) get(key string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout(p.t))
	defer cancel()
	v, err := p.conn.KV.Get(ctx, key)
	return string(v), err
}

func (p *brokerPlug) mustGet(key string) string {
	p.t.Helper()
	v, err := p.get(key)
	if err != nil {
		p.t.Fatalf("get %q: %v", key, err)
	}
	return v
}

// offer serves a hostKV under a fresh id, as go-plugin's bidirectional
// example does, until the connection ends.
func (p *brokerPlug) offer(prefix string) uint32 {
	id := p.conn.Broker.NextId()
	go p.conn.Broker.AcceptAndServe(id, func(opts []grpc.ServerOption) *grpc.Server {
		s := grpc.NewServer(opts...)
		kvrpc.RegisterServer(s, hostKV{prefix: prefix})
		return s
	})
	return id
}

// dialServed asks the script to serve a KV and dials the id it returns.
func (p *brokerPlug) dialServed(prefix string) (uint32, *kvrpc.Client) {
	p.t.Helper()
	idText := p.mustGet("serve:" + prefix)
	id, err := strconv.ParseUint(idText, 10, 32)
	if err != nil {
		p.t.Fatalf("serve: the script answered %q, not an id", idText)
	}
	conn, err := p.conn.Broker.Dial(uint32(id))
	if err != nil {
		p.t.Fatalf("the host's broker.Dial(%d): %v", id, err)
	}
	p.t.Cleanup(func() { conn.Close() })
	return uint32(id), kvrpc.NewClient(conn)
}

// TestBrokerStatusAndStop: the host's failure reaches the script with its
// code and message; the host calls what the script serves; after
// broker.stop(id) the host's calls on it fail.
func TestBrokerStatusAndStop(t *testing.T) {
	p := startBrokerPlugin(t, true, 0, 0)

	id := p.offer("host says ")
	if got, want := p.mustGet(fmt.Sprintf("dial:%d:hello", id)), "host says hello"; got != want {
		t.Errorf("script's call of the host's KV: got %q, want %q", got, want)
	}
	_, err := p.get(fmt.Sprintf("dial:%d:missing", id))
	if st, _ := status.FromError(err); st.Code() != codes.NotFound || !strings.Contains(st.Message(), "host: no missing") {
		t.Errorf("host's NotFound through the script: got %v", err)
	}

	served, kv := p.dialServed("plugin says ")
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout(t))
	defer cancel()
	v, err := kv.Get(ctx, "hi")
	if err != nil || string(v) != "plugin says hi" {
		t.Fatalf("host's call of the script's KV (id %d): got %q, %v", served, v, err)
	}
	if got := p.mustGet(fmt.Sprintf("stop:%d", served)); got != "stopped" {
		t.Errorf("stop: got %q", got)
	}
	if _, err := kv.Get(ctx, "after stop"); err == nil {
		t.Errorf("a call after broker.stop(%d) succeeded", served)
	}
}

// TestBrokerServesOverTcp: with --tcp, what the script serves listens on
// 127.0.0.1 within the host's port range, as the main server does.
func TestBrokerServesOverTcp(t *testing.T) {
	min, max := freePortRange(t, 8)
	p := startBrokerPlugin(t, false, uint(min), uint(max), "--tcp")
	_, kv := p.dialServed("over tcp ")
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout(t))
	defer cancel()
	if v, err := kv.Get(ctx, "x"); err != nil || string(v) != "over tcp x" {
		t.Fatalf("host's call over TCP: got %q, %v", v, err)
	}
	var address string
	for _, line := range strings.Split(p.logs.String(), "\n") {
		if strings.Contains(line, "serving through the broker") {
			if !strings.Contains(line, "network=tcp") {
				t.Errorf("brokered server not on TCP: %s", line)
			}
			if i := strings.Index(line, "address=127.0.0.1:"); i >= 0 {
				address = strings.Fields(line[i+len("address="):])[0]
			}
		}
	}
	port, err := strconv.Atoi(address[strings.LastIndex(address, ":")+1:])
	if err != nil || port < min || port > max {
		t.Errorf("brokered server at %q, want 127.0.0.1 within %d..%d", address, min, max)
	}
}

// TestBrokerKillLeavesNoSocket: the host's Kill() with brokered connections
// open both ways ends the plugin gracefully (go-plugin warns when it has to
// kill it) and leaves no socket behind, the brokered servers' included.
func TestBrokerKillLeavesNoSocket(t *testing.T) {
	socketDir := t.TempDir()
	t.Setenv("PLUGIN_UNIX_SOCKET_DIR", socketDir)
	p := startBrokerPlugin(t, true, 0, 0)
	id := p.offer("open ")
	p.mustGet(fmt.Sprintf("dial:%d:x", id))
	_, kv := p.dialServed("open ")
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout(t))
	defer cancel()
	if _, err := kv.Get(ctx, "x"); err != nil {
		t.Fatalf("script-served KV: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(socketDir, "plugin*")); len(left) != 2 {
		t.Fatalf("want the main and one brokered socket in %s, got %v", socketDir, left)
	}

	p.client.Kill()
	if strings.Contains(p.logs.String(), "plugin failed to exit gracefully") {
		t.Errorf("the plugin had to be killed")
	}
	if left, _ := filepath.Glob(filepath.Join(socketDir, "plugin*")); len(left) > 0 {
		t.Errorf("sockets left behind: %v", left)
	}
}
