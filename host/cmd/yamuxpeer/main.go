// Command yamuxpeer is an independent yamux peer for the bridge's Java yamux (dev.bridge.yamux): hashicorp/yamux,
// the implementation go-plugin uses, as the client side of a session over a Unix socket, against a Java server that
// serves the commands below. Run by bridge's GoYamuxPeerTest; exits 0 when every check passed, else prints what failed
// and exits 1.
//
//	yamuxpeer <unix socket path>
//
// The Java server reads each stream's first byte: 'e' reads a 4-byte big-endian length, echoes that many bytes,
// half-closes, then expects "bye" and the client's FIN; 'r' opens a stream of its own to this client, sends 300000 bytes, half-closes, checks the echo and
// answers "ok"; 'g' says go-away and answers "ok".
package main

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"io/ioutil"
	"net"
	"os"
	"sync"
	"time"

	"github.com/hashicorp/yamux"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: yamuxpeer <unix socket path>")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "yamuxpeer: FAIL:", err)
		os.Exit(1)
	}
	fmt.Println("yamuxpeer: ok")
}

func run(path string) error {
	conn, err := net.Dial("unix", path)
	if err != nil {
		return err
	}
	cfg := yamux.DefaultConfig()
	cfg.LogOutput = os.Stderr
	session, err := yamux.Client(conn, cfg)
	if err != nil {
		return err
	}
	defer session.Close()

	if _, err := session.Ping(); err != nil {
		return fmt.Errorf("ping: %v", err)
	}
	if err := manyEchoes(session, 48, 1<<20); err != nil {
		return fmt.Errorf("echo streams: %v", err)
	}
	if err := serverOpened(session); err != nil {
		return fmt.Errorf("a stream the server opens: %v", err)
	}
	if n := session.NumStreams(); n != 0 {
		return fmt.Errorf("%d streams still open after every one was closed both ways", n)
	}
	if err := goAway(session); err != nil {
		return fmt.Errorf("go-away: %v", err)
	}
	return nil
}

// manyEchoes sends size random bytes on each of n concurrent streams, far beyond the 256 KB window, checks the
// echo, then the server's half-close. (Debian's yamux, of 2019, reads nothing more once it half-closed itself, so
// this side closes last; newer versions allow either order, and the Java side does.)
func manyEchoes(session *yamux.Session, n, size int) error {
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if err := echo(session, size+i); err != nil {
				errs <- fmt.Errorf("stream %d: %v", i, err)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	return <-errs
}

func echo(session *yamux.Session, size int) error {
	stream, err := session.OpenStream()
	if err != nil {
		return err
	}
	payload := make([]byte, size)
	if _, err := rand.Read(payload); err != nil {
		return err
	}
	writeErr := make(chan error, 1)
	go func() {
		head := []byte{'e', 0, 0, 0, 0}
		binary.BigEndian.PutUint32(head[1:], uint32(size))
		if _, err := stream.Write(head); err != nil {
			writeErr <- err
			return
		}
		_, err := stream.Write(payload)
		writeErr <- err
	}()
	stream.SetReadDeadline(time.Now().Add(60 * time.Second))
	got := make([]byte, size)
	if _, err := io.ReadFull(stream, got); err != nil {
		return fmt.Errorf("reading the echo: %v", err)
	}
	if err := <-writeErr; err != nil {
		return fmt.Errorf("writing: %v", err)
	}
	if !bytes.Equal(got, payload) {
		return fmt.Errorf("the echo of %d bytes differs", size)
	}
	// The server half-closes after the echo; this side may still write, and the server still reads.
	if n, err := stream.Read(make([]byte, 1)); err != io.EOF {
		return fmt.Errorf("after the echo: read %d bytes, error %v; want the server's FIN (EOF)", n, err)
	}
	if _, err := stream.Write([]byte("bye")); err != nil {
		return fmt.Errorf("writing after the server's half-close: %v", err)
	}
	return stream.Close()
}

func serverOpened(session *yamux.Session) error {
	accepted := make(chan error, 1)
	go func() {
		stream, err := session.AcceptStream()
		if err != nil {
			accepted <- err
			return
		}
		if stream.StreamID()%2 != 0 {
			accepted <- fmt.Errorf("the server opened stream %d, an odd (client) id", stream.StreamID())
			return
		}
		data, err := ioutil.ReadAll(stream)
		if err != nil {
			accepted <- err
			return
		}
		if len(data) != 300000 {
			accepted <- fmt.Errorf("got %d bytes from the server's stream, want 300000", len(data))
			return
		}
		if _, err := stream.Write(data); err != nil {
			accepted <- err
			return
		}
		accepted <- stream.Close()
	}()
	if err := command(session, 'r'); err != nil {
		return err
	}
	return <-accepted
}

func goAway(session *yamux.Session) error {
	if err := command(session, 'g'); err != nil {
		return err
	}
	// The go-away came before the command's answer; a ping makes sure it was read.
	if _, err := session.Ping(); err != nil {
		return err
	}
	if _, err := session.OpenStream(); err != yamux.ErrRemoteGoAway {
		return fmt.Errorf("opening a stream after the server's go-away: got %v, want %v", err, yamux.ErrRemoteGoAway)
	}
	return nil
}

func command(session *yamux.Session, c byte) error {
	stream, err := session.OpenStream()
	if err != nil {
		return err
	}
	defer stream.Close()
	if _, err := stream.Write([]byte{c}); err != nil {
		return err
	}
	stream.SetReadDeadline(time.Now().Add(30 * time.Second))
	answer, err := ioutil.ReadAll(io.LimitReader(stream, 64))
	if err != nil {
		return err
	}
	if string(answer) != "ok" {
		return fmt.Errorf("command %q answered %q", c, answer)
	}
	return nil
}
