package e2e

// The broker through go-plugin 1.0.1's own GRPCBroker, both ways: the host
// offers a KV service with AcceptAndServe and the script dials it by the id
// it finds in a request (go-plugin's bidirectional example), and the script
// serves a KV service with broker.serve and the host dials the id it returns.
// The test plugin's Get takes commands in its key:
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
	"sync"
	"testing"
	"time"

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

func startBrokerPlugin(t *testing.T, autoMTLS bool) *brokerPlug {
	t.Helper()
	return startBrokerPluginScript(t, autoMTLS, kvPlugin(t, "broker", brokerScript))
}

// startBrokerPluginScript starts the KV plugin that script (a path) serves.
func startBrokerPluginScript(t *testing.T, autoMTLS bool, script string) *brokerPlug {
	t.Helper()
	bridgeLauncher(t)
	cmdline := bridgeCmdline(t, []string{"BRIDGE_LOG_LEVEL=debug"}, script)
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

func testBrokerBothWays(t *testing.T, autoMTLS bool) {
	p := startBrokerPlugin(t, autoMTLS)

	id := p.offer("host says ")
	if got, want := p.mustGet(fmt.Sprintf("dial:%d:hello", id)), "host says hello"; got != want {
		t.Errorf("script's call of the host's KV: got %q, want %q", got, want)
	}
	// The host's failure reaches the script, which passes it on.
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

func TestBrokerBothWays(t *testing.T)         { testBrokerBothWays(t, false) }
func TestBrokerBothWaysAutoMTLS(t *testing.T) { testBrokerBothWays(t, true) }

func TestBrokerManyIds(t *testing.T) {
	p := startBrokerPlugin(t, true)
	for i := 0; i < 10; i++ {
		id := p.offer(fmt.Sprintf("in row %d: ", i))
		if got, want := p.mustGet(fmt.Sprintf("dial:%d:x", id)), fmt.Sprintf("in row %d: x", i); got != want {
			t.Errorf("id %d: got %q, want %q", id, got, want)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 0; i < 20; i++ {
		wg.Add(2)
		go func(i int) {
			defer wg.Done()
			id := p.offer(fmt.Sprintf("at once %d: ", i))
			got, err := p.get(fmt.Sprintf("dial:%d:y", id))
			if want := fmt.Sprintf("at once %d: y", i); err != nil || got != want {
				errs <- fmt.Errorf("host-offered id %d: got %q, %v; want %q", id, got, err, want)
			}
		}(i)
		go func(i int) {
			defer wg.Done()
			idText, err := p.get(fmt.Sprintf("serve:s%d-", i))
			if err != nil {
				errs <- fmt.Errorf("serve %d: %v", i, err)
				return
			}
			id, _ := strconv.ParseUint(idText, 10, 32)
			conn, err := p.conn.Broker.Dial(uint32(id))
			if err != nil {
				errs <- fmt.Errorf("host Dial(%d): %v", id, err)
				return
			}
			defer conn.Close()
			ctx, cancel := context.WithTimeout(context.Background(), callTimeout(t))
			defer cancel()
			v, err := kvrpc.NewClient(conn).Get(ctx, "z")
			if want := fmt.Sprintf("s%d-z", i); err != nil || string(v) != want {
				errs <- fmt.Errorf("script-served id %d: got %q, %v; want %q", id, v, err, want)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestBrokerUnknownId: an id the host never offered fails the script's dial
// within 10 s, clearly, and the plugin goes on serving.
func TestBrokerUnknownId(t *testing.T) {
	p := startBrokerPlugin(t, false)
	started := time.Now()
	_, err := p.get("dial:4242:x")
	took := time.Since(started)
	st, _ := status.FromError(err)
	if st.Code() != codes.Unavailable || !strings.Contains(st.Message(), "the host offered no connection under broker id 4242 within 5 s") {
		t.Errorf("dial of an id never offered: got %v", err)
	}
	if took > 10*time.Second {
		t.Errorf("the failure took %s, want at most 10 s", took)
	}
	id := p.offer("still ")
	if got := p.mustGet(fmt.Sprintf("dial:%d:serving", id)); got != "still serving" {
		t.Errorf("after the failure: got %q", got)
	}
}

// TestBrokerKillWithConnectionsOpen: the host's Kill() with brokered
// connections open both ways ends the plugin gracefully (go-plugin warns when
// it has to kill it) and promptly, and leaves no socket behind.
func TestBrokerKillWithConnectionsOpen(t *testing.T) {
	socketDir := t.TempDir()
	t.Setenv("PLUGIN_UNIX_SOCKET_DIR", socketDir)
	p := startBrokerPlugin(t, true)
	id := p.offer("open ")
	p.mustGet(fmt.Sprintf("dial:%d:x", id))
	_, kv := p.dialServed("open ")
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout(t))
	defer cancel()
	if _, err := kv.Get(ctx, "x"); err != nil {
		t.Fatalf("script-served KV: %v", err)
	}

	started := time.Now()
	p.client.Kill()
	if took := time.Since(started); took > 5*time.Second {
		t.Errorf("Kill() took %s", took)
	}
	if strings.Contains(p.logs.String(), "plugin failed to exit gracefully") {
		t.Errorf("the plugin had to be killed")
	}
	left, _ := filepath.Glob(filepath.Join(socketDir, "plugin*"))
	if len(left) > 0 {
		t.Errorf("sockets left behind: %v", left)
	}
}
