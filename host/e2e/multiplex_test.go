package e2e

// Broker multiplexing (PLUGIN_MULTIPLEX_GRPC), as go-plugin >= 1.6 hosts ask for it. go-plugin 1.0.1 has no
// multiplexing, so this file plays the newer host's part by hand, as its internal/grpcmux client muxer does: one
// connection to the handshake's address, a hashicorp/yamux client session on it, and every gRPC connection a new
// yamux stream (grpc.WithContextDialer opening one per connection). Bridge-only: go-plugin 1.0.1's own plugin
// (goplugin-kv) cannot multiplex.

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"net"
	"os"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/yamux"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/health/grpc_health_v1"

	"bridge/host/kvrpc"
	"bridge/host/logsink"
)

var multiplexHandshakeRE = regexp.MustCompile(`^1\|1\|(unix|tcp)\|([^|]+)\|grpc\|([A-Za-z0-9+/]*)\|true$`)

// muxHost is the host's end of a multiplexed plugin: its yamux session and how to dial gRPC over it.
type muxHost struct {
	session *yamux.Session
	creds   credentials.TransportCredentials // nil: plain text
	// What the host's brokered servers present under AutoMTLS: its certificate, the plugin's required.
	serverCreds credentials.TransportCredentials
	log         *logsink.Buffer
}

func startMultiplexed(t *testing.T, autoMTLS bool, script string) *muxHost {
	t.Helper()
	bridgeLauncher(t) // skips unless the plugin under test is the bridge
	cmd := pluginCommand(t, t.TempDir())
	if script != "" {
		cmd.Args = []string{"sh", "-c", bridgeCmdline(t, nil, script)}
	}
	cmd.Env = append(cleanEnv(),
		kvrpc.Handshake.MagicCookieKey+"="+kvrpc.Handshake.MagicCookieValue,
		"PLUGIN_PROTOCOL_VERSIONS=1",
		"PLUGIN_MIN_PORT=10000",
		"PLUGIN_MAX_PORT=25000",
		"PLUGIN_MULTIPLEX_GRPC=true",
	)
	var certPEM, keyPEM []byte
	if autoMTLS {
		certPEM, keyPEM = clientCert(t)
		cmd.Env = append(cmd.Env, "PLUGIN_CLIENT_CERT="+string(certPEM))
	}
	stderr := &logsink.Buffer{}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		killGroup(cmd)
		cmd.Wait()
		if t.Failed() || os.Getenv("BRIDGE_E2E_VERBOSE") == "1" {
			t.Logf("--- plugin stderr ---\n%s", stderr.String())
		}
	})
	line, err := readLine(stdout, startTimeout(t))
	if err != nil {
		t.Fatalf("%v\nstderr:\n%s", err, stderr.String())
	}
	m := multiplexHandshakeRE.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("handshake line %q does not match %s (a seventh field true)", line, multiplexHandshakeRE)
	}
	conn, err := net.Dial(m[1], m[2])
	if err != nil {
		t.Fatalf("connecting to %s %s: %v", m[1], m[2], err)
	}
	cfg := yamux.DefaultConfig()
	cfg.LogOutput = stderr
	session, err := yamux.Client(conn, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { session.Close() })
	h := &muxHost{session: session, log: stderr}
	if autoMTLS {
		der, err := base64.RawStdEncoding.DecodeString(m[3])
		if err != nil {
			t.Fatalf("certificate field: %v", err)
		}
		serverCert, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatalf("certificate field: %v", err)
		}
		pair, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			t.Fatal(err)
		}
		roots := x509.NewCertPool()
		roots.AddCert(serverCert)
		h.creds = credentials.NewTLS(&tls.Config{Certificates: []tls.Certificate{pair}, RootCAs: roots, ServerName: "localhost"})
		h.serverCreds = credentials.NewTLS(&tls.Config{Certificates: []tls.Certificate{pair}, ClientCAs: roots,
			ClientAuth: tls.RequireAndVerifyClientCert})
	}
	return h
}

// dial is a gRPC connection whose transport is a new yamux stream (grpcmux's Dial).
func (h *muxHost) dial(t *testing.T) *grpc.ClientConn {
	t.Helper()
	opts := []grpc.DialOption{
		grpc.WithContextDialer(func(context.Context, string) (net.Conn, error) { return h.session.Open() }),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(64 << 20)),
	}
	if h.creds == nil {
		opts = append(opts, grpc.WithInsecure())
	} else {
		opts = append(opts, grpc.WithTransportCredentials(h.creds))
	}
	conn, err := grpc.Dial("passthrough:///multiplexed", opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func TestMultiplexedMainConnection(t *testing.T) {
	for _, autoMTLS := range []bool{false, true} {
		t.Run(fmt.Sprintf("AutoMTLS=%v", autoMTLS), func(t *testing.T) {
			h := startMultiplexed(t, autoMTLS, "")
			main := h.dial(t)
			ctx, cancel := context.WithTimeout(context.Background(), callTimeout(t))
			defer cancel()
			health, err := grpc_health_v1.NewHealthClient(main).Check(ctx, &grpc_health_v1.HealthCheckRequest{Service: "plugin"})
			if err != nil || health.Status != grpc_health_v1.HealthCheckResponse_SERVING {
				t.Fatalf("health over a yamux stream: %v, %v", health, err)
			}

			// Values far beyond a yamux stream's 256 KB window, both ways.
			kv := kvrpc.NewClient(main)
			big := bytes.Repeat([]byte("0123456789abcdef"), 192<<10) // 3 MB (the bridge takes messages up to 4 MB)
			if err := kv.Put(ctx, "big", big); err != nil {
				t.Fatalf("Put of %d bytes: %v", len(big), err)
			}
			got, err := kv.Get(ctx, "big")
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if !bytes.Equal(got, append(append([]byte{}, big...), []byte(expectedSuffix())...)) {
				t.Fatalf("Get returned %d bytes, want the %d put and the suffix", len(got), len(big))
			}

			// More gRPC connections are more streams; calls on them concurrently.
			conns := []*grpc.ClientConn{main, h.dial(t), h.dial(t)}
			var wg sync.WaitGroup
			errs := make(chan error, 3*8)
			for c, conn := range conns {
				for g := 0; g < 8; g++ {
					wg.Add(1)
					go func(c, g int, kv *kvrpc.Client) {
						defer wg.Done()
						key := fmt.Sprintf("k-%d-%d", c, g)
						value := bytes.Repeat([]byte{byte('a' + g)}, 300_000+g)
						if err := kv.Put(ctx, key, value); err != nil {
							errs <- fmt.Errorf("Put %s: %v", key, err)
							return
						}
						back, err := kv.Get(ctx, key)
						if err != nil || !bytes.HasPrefix(back, value) {
							errs <- fmt.Errorf("Get %s: %d bytes, %v", key, len(back), err)
						}
					}(c, g, kvrpc.NewClient(conn))
				}
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			if n := h.session.NumStreams(); n < 3 {
				t.Errorf("yamux streams open: %d, want at least one per gRPC connection (3)", n)
			}
			if _, err := h.session.Ping(); err != nil {
				t.Errorf("yamux ping: %v", err)
			}

			// A closed gRPC connection half-closes its stream both ways; the others go on.
			before := h.session.NumStreams()
			conns[2].Close()
			deadline := time.Now().Add(30 * time.Second)
			for h.session.NumStreams() >= before && time.Now().Before(deadline) {
				time.Sleep(20 * time.Millisecond)
			}
			if n := h.session.NumStreams(); n >= before {
				t.Errorf("yamux streams after closing a gRPC connection: %d, want fewer than %d", n, before)
			}
			if _, err := kv.Get(ctx, "big"); err != nil {
				t.Errorf("Get on the main connection after another closed: %v", err)
			}
		})
	}
}
