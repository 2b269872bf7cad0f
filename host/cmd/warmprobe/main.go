// Command warmprobe connects to a bridge warm runtime's socket and asks for its status, as `bridgejs warm status`
// does, for the end-to-end test that the runtime refuses another user (host/e2e/warm_test.go).
//
//	warmprobe SOCKET
//
// Exit code: 0 the runtime answered (its status on stdout), 2 no connection, 3 the runtime closed the connection
// without an answer.
package main

import (
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os"
	"time"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: warmprobe SOCKET")
		os.Exit(2)
	}
	conn, err := net.Dial("unix", os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "warmprobe:", err)
		os.Exit(2)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	// A STATUS frame ('Q', empty payload); the runtime answers with STDOUT frames and an EXIT frame.
	if _, err := conn.Write([]byte{'Q', 0, 0, 0, 0}); err != nil {
		fmt.Fprintln(os.Stderr, "warmprobe: the runtime closed the connection:", err)
		os.Exit(3)
	}
	for {
		header := make([]byte, 5)
		if _, err := io.ReadFull(conn, header); err != nil {
			fmt.Fprintln(os.Stderr, "warmprobe: the runtime closed the connection without an answer:", err)
			os.Exit(3)
		}
		payload := make([]byte, binary.BigEndian.Uint32(header[1:]))
		if _, err := io.ReadFull(conn, payload); err != nil {
			fmt.Fprintln(os.Stderr, "warmprobe: the connection ended inside a frame:", err)
			os.Exit(3)
		}
		if header[0] == 'X' {
			os.Exit(0)
		}
		os.Stdout.Write(payload)
	}
}
