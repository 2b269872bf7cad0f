package e2e

// End-to-end tests of the KV plugin through HashiCorp go-plugin v1.0.1's
// client. Each test starts its own plugin in its own temp working dir (see
// harness_test.go for the environment variables).

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"math/big"
	mrand "math/rand"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	"bridge/host/kvrpc"
	"bridge/host/logsink"
)

func TestPutGetText(t *testing.T) {
	p := startPlugin(t, startOpts{})
	for _, c := range []struct{ key, value string }{
		{"hello", "world"},
		{"text", "The quick brown fox\njumps over the lazy dog.\n"},
		{"utf8", "héllo wörld ✓ 日本語 🚀"},
	} {
		p.mustPut(c.key, []byte(c.value))
		p.checkStored(c.key, []byte(c.value), p.mustGet(c.key))
	}
	// Overwriting replaces the value.
	p.mustPut("hello", []byte("again"))
	p.checkStored("hello", []byte("again"), p.mustGet("hello"))
}

func TestPutGetBinary(t *testing.T) {
	p := startPlugin(t, startOpts{})

	all := make([]byte, 0, 260)
	all = append(all, 0x00, 0xff, 0x00, 0xff)
	for i := 0; i < 256; i++ {
		all = append(all, byte(i))
	}
	big := make([]byte, 1<<20)
	mrand.New(mrand.NewSource(42)).Read(big)
	big[0], big[len(big)-1] = 0x00, 0xff

	for _, c := range []struct {
		name  string
		value []byte
	}{
		{"all-bytes", all},
		{"nul-only", []byte{0}},
		{"invalid-utf8", []byte{0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xff, 0xfe}},
		{"empty", []byte{}},
		{"one-mib", big},
	} {
		t.Run(c.name, func(t *testing.T) {
			q := *p
			q.t = t
			key := "bin-" + c.name
			q.mustPut(key, c.value)
			q.checkStored(key, c.value, q.mustGet(key))
		})
	}
}

func TestGetMissingKeyIsNotFound(t *testing.T) {
	p := startPlugin(t, startOpts{})
	for i := 0; i < 2; i++ {
		v, err := p.get("no-such-key")
		if err == nil {
			t.Fatalf("get of a missing key: got value %s, want a NotFound error", describe(v))
		}
		if code := status.Code(err); code != codes.NotFound {
			t.Fatalf("get of a missing key: got code %v (%v), want NotFound", code, err)
		}
	}
	if fileExists(filepath.Join(p.Dir, "kv_no-such-key")) {
		t.Errorf("get of a missing key created kv_no-such-key")
	}
	// The plugin still serves the next calls.
	p.mustPut("after-missing", []byte("still here"))
	p.checkStored("after-missing", []byte("still here"), p.mustGet("after-missing"))
}

func TestHealthServing(t *testing.T) {
	p := startPlugin(t, startOpts{})
	ctx, cancel := p.ctx()
	defer cancel()
	resp, err := grpc_health_v1.NewHealthClient(p.RPC.Conn).Check(ctx,
		&grpc_health_v1.HealthCheckRequest{Service: "plugin"})
	if err != nil {
		t.Fatalf("health check of service \"plugin\": %v", err)
	}
	if resp.Status != grpc_health_v1.HealthCheckResponse_SERVING {
		t.Fatalf("health of \"plugin\": got %v, want SERVING", resp.Status)
	}
	if err := p.RPC.Ping(); err != nil {
		t.Fatalf("go-plugin Ping: %v", err)
	}
}

// dialHealth connects to the plugin's address with the given transport
// credentials (nil: plaintext) and runs one health check of "plugin".
func dialHealth(t *testing.T, addr net.Addr, creds credentials.TransportCredentials, timeout time.Duration) (grpc_health_v1.HealthCheckResponse_ServingStatus, error) {
	t.Helper()
	opts := []grpc.DialOption{
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, addr.Network(), addr.String())
		}),
	}
	if creds == nil {
		opts = append(opts, grpc.WithInsecure())
	} else {
		opts = append(opts, grpc.WithTransportCredentials(creds))
	}
	conn, err := grpc.Dial("passthrough:///plugin", opts...)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	resp, err := grpc_health_v1.NewHealthClient(conn).Check(ctx, &grpc_health_v1.HealthCheckRequest{Service: "plugin"})
	if err != nil {
		return 0, err
	}
	return resp.Status, nil
}

func TestAutoMTLS(t *testing.T) {
	for _, on := range []bool{true, false} {
		t.Run(fmt.Sprintf("AutoMTLS=%v", on), func(t *testing.T) {
			p := startPlugin(t, startOpts{autoMTLS: on})
			key := fmt.Sprintf("mtls-%v", on)
			p.mustPut(key, []byte("secret"))
			p.checkStored(key, []byte("secret"), p.mustGet(key))

			addr := p.Client.ReattachConfig().Addr
			st, plainErr := dialHealth(t, addr, nil, 10*time.Second)
			if !on {
				if plainErr != nil || st != grpc_health_v1.HealthCheckResponse_SERVING {
					t.Fatalf("plaintext health check without AutoMTLS: status %v, err %v; want SERVING", st, plainErr)
				}
				return
			}
			if plainErr == nil {
				t.Fatalf("plaintext health check succeeded (%v) although AutoMTLS is on", st)
			}
			// TLS without a client certificate must be refused too (mutual TLS).
			noCert := credentials.NewTLS(&tls.Config{InsecureSkipVerify: true})
			if st, err := dialHealth(t, addr, noCert, 10*time.Second); err == nil {
				t.Fatalf("TLS health check without a client certificate succeeded (%v); want refused", st)
			}
			// The plugin still works over the AutoMTLS connection.
			p.checkStored(key, []byte("secret"), p.mustGet(key))
		})
	}
}

func TestParallelCalls(t *testing.T) {
	p := startPlugin(t, startOpts{})
	const goroutines = 16
	n := envInt(t, "BRIDGE_PARALLEL_N", 25)
	suffix := expectedSuffix()

	var wg sync.WaitGroup
	errs := make(chan error, goroutines*n)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			rnd := mrand.New(mrand.NewSource(int64(g)))
			for i := 0; i < n; i++ {
				key := fmt.Sprintf("par-%02d-%03d", g, i)
				value := make([]byte, 16+rnd.Intn(4096))
				rnd.Read(value)
				copy(value, key)
				if err := p.put(key, value); err != nil {
					errs <- fmt.Errorf("put %s: %v", key, err)
					continue
				}
				got, err := p.get(key)
				if err != nil {
					errs <- fmt.Errorf("get %s: %v", key, err)
					continue
				}
				if want := append(value, suffix...); !bytes.Equal(got, want) {
					errs <- fmt.Errorf("get %s: got %s, want %s", key, describe(got), describe(want))
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	failed := 0
	for err := range errs {
		if failed < 10 {
			t.Error(err)
		}
		failed++
	}
	if failed > 0 {
		t.Fatalf("%d of %d put/get pairs failed", failed, goroutines*n)
	}
	files, _ := filepath.Glob(filepath.Join(p.Dir, "kv_par-*"))
	if len(files) != goroutines*n {
		t.Errorf("found %d kv_par-* files, want %d", len(files), goroutines*n)
	}
}

func TestKillStopsPluginQuickly(t *testing.T) {
	p := startPlugin(t, startOpts{})
	p.mustPut("before-kill", []byte("x"))
	pid := p.Cmd.Process.Pid
	if rc := p.Client.ReattachConfig(); rc == nil || rc.Pid != pid {
		t.Fatalf("ReattachConfig pid: got %+v, want %d", rc, pid)
	}
	pids := descendants(pid)
	t.Logf("plugin processes before Kill: %v", pids)

	start := time.Now()
	done := make(chan struct{})
	go func() { p.Client.Kill(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("Kill() did not return within 30s")
	}
	killTook := time.Since(start)

	deadline := start.Add(2 * time.Second)
	var alive []int
	for {
		alive = alive[:0]
		for _, q := range pids {
			if !processGone(q) {
				alive = append(alive, q)
			}
		}
		if len(alive) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(alive) > 0 {
		t.Fatalf("processes %v still alive 2s after Kill() (Kill took %v)", alive, killTook)
	}
	if killTook >= 2*time.Second {
		t.Fatalf("Kill() took %v, want < 2s (go-plugin force-kills after 2s when the plugin does not exit on Shutdown)", killTook)
	}
	if !p.Client.Exited() {
		t.Errorf("client does not report the plugin as exited")
	}
	t.Logf("Kill() took %v", killTook)
}

const notAPluginMsg = "This binary is a plugin. These are not meant to be executed directly."

func TestRunWithoutMagicCookie(t *testing.T) {
	for _, c := range []struct {
		name string
		env  []string
	}{
		{"no-cookie", nil},
		{"wrong-cookie", []string{kvrpc.Handshake.MagicCookieKey + "=not-" + kvrpc.Handshake.MagicCookieValue}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runDirect(t, c.env, startTimeout(t))
			if code != 1 {
				t.Errorf("exit code: got %d, want 1", code)
			}
			if stdout != "" {
				t.Errorf("stdout: got %q, want nothing", stdout)
			}
			if !strings.Contains(stderr, notAPluginMsg) {
				t.Errorf("stderr does not contain %q:\n%s", notAPluginMsg, stderr)
			}
		})
	}
}

var handshakeRE = regexp.MustCompile(`^1\|1\|(unix|tcp)\|([^|]+)\|grpc\|([A-Za-z0-9+/]*)$`)

func TestHandshakeLine(t *testing.T) {
	certPEM, keyPEM := clientCert(t)
	for _, withCert := range []bool{false, true} {
		t.Run(fmt.Sprintf("client-cert=%v", withCert), func(t *testing.T) {
			cmd := pluginCommand(t, t.TempDir())
			cmd.Env = append(cleanEnv(),
				kvrpc.Handshake.MagicCookieKey+"="+kvrpc.Handshake.MagicCookieValue,
				"PLUGIN_PROTOCOL_VERSIONS=1",
				"PLUGIN_MIN_PORT=10000",
				"PLUGIN_MAX_PORT=25000",
			)
			if withCert {
				cmd.Env = append(cmd.Env, "PLUGIN_CLIENT_CERT="+string(certPEM))
			}
			var stderr logsink.Buffer
			cmd.Stderr = &stderr
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
			})
			line, err := readLine(stdout, startTimeout(t))
			if err != nil {
				t.Fatalf("%v\nstderr:\n%s", err, stderr.String())
			}
			t.Logf("handshake line: %.100q", line)
			m := handshakeRE.FindStringSubmatch(line)
			if m == nil {
				t.Fatalf("handshake line %q does not match %s", line, handshakeRE)
			}
			network, address, cert := m[1], m[2], m[3]
			switch network {
			case "unix":
				fi, err := os.Stat(address)
				if err != nil || fi.Mode()&os.ModeSocket == 0 {
					t.Errorf("unix address %q is not a socket (%v)", address, err)
				}
			case "tcp":
				c, err := net.DialTimeout("tcp", address, 10*time.Second)
				if err != nil {
					t.Errorf("tcp address %q: %v", address, err)
				} else {
					c.Close()
				}
			}
			var addr net.Addr
			if network == "unix" {
				addr = &net.UnixAddr{Name: address, Net: "unix"}
			} else {
				addr, err = net.ResolveTCPAddr("tcp", address)
				if err != nil {
					t.Fatal(err)
				}
			}

			if !withCert {
				if cert != "" {
					t.Errorf("server cert field: got %q, want empty without PLUGIN_CLIENT_CERT", cert)
				}
				if st, err := dialHealth(t, addr, nil, callTimeout(t)); err != nil || st != grpc_health_v1.HealthCheckResponse_SERVING {
					t.Errorf("plaintext health check: status %v, err %v; want SERVING", st, err)
				}
				return
			}
			der, err := base64.RawStdEncoding.DecodeString(cert)
			if err != nil {
				t.Fatalf("server cert field is not unpadded standard base64: %v", err)
			}
			srvCert, err := x509.ParseCertificate(der)
			if err != nil {
				t.Fatalf("server cert field is not an x509 certificate: %v", err)
			}
			// Connect the way go-plugin's AutoMTLS client does: trust exactly
			// the announced cert for "localhost" and present our client cert.
			pair, err := tls.X509KeyPair(certPEM, keyPEM)
			if err != nil {
				t.Fatal(err)
			}
			roots := x509.NewCertPool()
			roots.AddCert(srvCert)
			creds := credentials.NewTLS(&tls.Config{
				Certificates: []tls.Certificate{pair},
				RootCAs:      roots,
				ServerName:   "localhost",
			})
			if st, err := dialHealth(t, addr, creds, callTimeout(t)); err != nil || st != grpc_health_v1.HealthCheckResponse_SERVING {
				t.Errorf("mTLS health check: status %v, err %v; want SERVING", st, err)
			}
		})
	}
}

// clientCert makes a self-signed certificate like go-plugin's AutoMTLS
// client certificate (ECDSA P-521, CN/SAN localhost, client+server auth).
func clientCert(t *testing.T) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "localhost", Organization: []string{"bridge e2e"}},
		DNSNames:              []string{"localhost"},
		NotBefore:             now.Add(-time.Minute),
		NotAfter:              now.Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
}
