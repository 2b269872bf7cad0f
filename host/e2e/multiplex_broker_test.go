package e2e

// The broker over the one yamux session, with the host's side of go-plugin >= 1.6's grpcmux written out here (1.0.1
// has none): broker ids travel as knocks on plugin.GRPCBroker/StartStream. The script's broker.dial(id) knocks, this
// host acknowledges and hands the plugin's next stream to the KV it serves under id; for an id the script serves
// (broker.serve), this host knocks, waits for the plugin's ack, and opens the stream itself. Runs brokerScript
// (broker_test.go).

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"

	"bridge/host/kvrpc"
)

// connInfo and connInfoKnock are go-plugin's plugin.ConnInfo, written out as kvrpc's messages are (its Go types are
// internal to go-plugin).
type connInfoKnock struct {
	Knock bool   `protobuf:"varint,1,opt,name=knock,proto3"`
	Ack   bool   `protobuf:"varint,2,opt,name=ack,proto3"`
	Error string `protobuf:"bytes,3,opt,name=error,proto3"`
}

func (m *connInfoKnock) Reset()         { *m = connInfoKnock{} }
func (m *connInfoKnock) String() string { return fmt.Sprintf("%+v", *m) }
func (*connInfoKnock) ProtoMessage()    {}

type connInfo struct {
	ServiceId uint32         `protobuf:"varint,1,opt,name=service_id,json=serviceId,proto3"`
	Network   string         `protobuf:"bytes,2,opt,name=network,proto3"`
	Address   string         `protobuf:"bytes,3,opt,name=address,proto3"`
	Knock     *connInfoKnock `protobuf:"bytes,4,opt,name=knock,proto3"`
}

func (m *connInfo) Reset()         { *m = connInfo{} }
func (m *connInfo) String() string { return fmt.Sprintf("%+v", *m) }
func (*connInfo) ProtoMessage()    {}

// streamListener is a net.Listener fed with yamux streams (grpcmux's blocked listeners).
type streamListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func (l *streamListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, fmt.Errorf("listener closed")
	}
}
func (l *streamListener) Close() error   { l.once.Do(func() { close(l.done) }); return nil }
func (l *streamListener) Addr() net.Addr { return &net.UnixAddr{Name: "yamux", Net: "unix"} }

// muxBroker is the host's broker over the session.
type muxBroker struct {
	h       *muxHost
	stream  grpc.ClientStream
	sendMu  sync.Mutex
	mu      sync.Mutex
	served  map[uint32]*streamListener
	acks    map[uint32]chan *connInfo
	dialMu  sync.Mutex
	streams chan error
}

func startMuxBroker(t *testing.T, h *muxHost, main *grpc.ClientConn) *muxBroker {
	t.Helper()
	stream, err := main.NewStream(context.Background(),
		&grpc.StreamDesc{StreamName: "StartStream", ServerStreams: true, ClientStreams: true},
		"/plugin.GRPCBroker/StartStream")
	if err != nil {
		t.Fatalf("StartStream: %v", err)
	}
	b := &muxBroker{h: h, stream: stream, served: map[uint32]*streamListener{}, acks: map[uint32]chan *connInfo{}}
	go b.receive()
	return b
}

func (b *muxBroker) send(m *connInfo) error {
	b.sendMu.Lock()
	defer b.sendMu.Unlock()
	return b.stream.SendMsg(m)
}

func (b *muxBroker) receive() {
	for {
		m := &connInfo{}
		if err := b.stream.RecvMsg(m); err != nil {
			return
		}
		if m.Knock == nil || !m.Knock.Knock {
			continue
		}
		b.mu.Lock()
		if m.Knock.Ack {
			if ch := b.acks[m.ServiceId]; ch != nil {
				ch <- m
			}
			b.mu.Unlock()
			continue
		}
		ln := b.served[m.ServiceId]
		b.mu.Unlock()
		// The plugin knocked for an id this host serves: ack, then its next stream is that id's.
		ack := &connInfo{ServiceId: m.ServiceId, Knock: &connInfoKnock{Knock: true, Ack: true}}
		if ln == nil {
			ack.Knock.Error = fmt.Sprintf("no listener for id %d", m.ServiceId)
			b.send(ack)
			continue
		}
		if err := b.send(ack); err != nil {
			continue
		}
		conn, err := b.h.session.Accept()
		if err != nil {
			return
		}
		ln.conns <- conn
	}
}

// serve is the host's AcceptAndServe of a KV answering prefix+key under id.
func (b *muxBroker) serve(t *testing.T, id uint32, prefix string) {
	ln := &streamListener{conns: make(chan net.Conn, 1), done: make(chan struct{})}
	b.mu.Lock()
	b.served[id] = ln
	b.mu.Unlock()
	opts := []grpc.ServerOption{}
	if b.h.serverCreds != nil {
		opts = append(opts, grpc.Creds(b.h.serverCreds))
	}
	s := grpc.NewServer(opts...)
	kvrpc.RegisterServer(s, hostKV{prefix: prefix})
	go s.Serve(ln)
	t.Cleanup(s.Stop)
}

// dial is the host's broker.Dial(id): knock, wait for the ack, open a stream; one at a time.
func (b *muxBroker) dial(t *testing.T, id uint32) *kvrpc.Client {
	t.Helper()
	dialer := func(context.Context, string) (net.Conn, error) {
		b.dialMu.Lock()
		defer b.dialMu.Unlock()
		ch := make(chan *connInfo, 1)
		b.mu.Lock()
		b.acks[id] = ch
		b.mu.Unlock()
		if err := b.send(&connInfo{ServiceId: id, Knock: &connInfoKnock{Knock: true}}); err != nil {
			return nil, err
		}
		select {
		case ack := <-ch:
			if ack.Knock.Error != "" {
				return nil, fmt.Errorf("knock for %d refused: %s", id, ack.Knock.Error)
			}
		case <-time.After(5 * time.Second):
			return nil, fmt.Errorf("no ack for id %d within 5 s", id)
		}
		return b.h.session.Open()
	}
	opts := []grpc.DialOption{grpc.WithContextDialer(dialer)}
	if b.h.creds == nil {
		opts = append(opts, grpc.WithInsecure())
	} else {
		opts = append(opts, grpc.WithTransportCredentials(b.h.creds))
	}
	conn, err := grpc.Dial("passthrough:///brokered", opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return kvrpc.NewClient(conn)
}

func TestMultiplexedBroker(t *testing.T) {
	for _, autoMTLS := range []bool{false, true} {
		t.Run(fmt.Sprintf("AutoMTLS=%v", autoMTLS), func(t *testing.T) {
			h := startMultiplexed(t, autoMTLS, kvPlugin(t, "broker", brokerScript))
			main := h.dial(t)
			b := startMuxBroker(t, h, main)
			kv := kvrpc.NewClient(main)
			ctx, cancel := context.WithTimeout(context.Background(), callTimeout(t))
			defer cancel()
			get := func(key string) string {
				t.Helper()
				v, err := kv.Get(ctx, key)
				if err != nil {
					t.Fatalf("Get(%q): %v", key, err)
				}
				return string(v)
			}

			// Host-offered: the script dials ids the host serves, each over a stream of the session.
			for id := uint32(7); id < 10; id++ {
				b.serve(t, id, fmt.Sprintf("host %d says ", id))
				if got, want := get(fmt.Sprintf("dial:%d:hello", id)), fmt.Sprintf("host %d says hello", id); got != want {
					t.Errorf("script's call of the host's KV %d: got %q, want %q", id, got, want)
				}
			}
			// An id the host does not serve: the ack carries the refusal, and the script's call fails with it.
			if _, err := kv.Get(ctx, "dial:99:x"); err == nil || !strings.Contains(err.Error(), "the host refused broker id 99: no listener for id 99") {
				t.Errorf("dial of an id the host does not serve: got %v, want the host's refusal", err)
			}

			// Plugin-offered: the host knocks for the id the script returns.
			id, err := strconv.ParseUint(get("serve:plugin says "), 10, 32)
			if err != nil {
				t.Fatalf("serve: %v", err)
			}
			served := b.dial(t, uint32(id))
			v, err := served.Get(ctx, "hi")
			if err != nil || string(v) != "plugin says hi" {
				t.Fatalf("host's call of the script's KV (id %d): got %q, %v", id, v, err)
			}
			if n := h.session.NumStreams(); n < 5 {
				t.Errorf("yamux streams: %d, want the main one, three dialed by the script and one by the host", n)
			}
		})
	}
}
