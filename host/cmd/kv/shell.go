package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/hashicorp/go-plugin"

	"bridge/host/kvrpc"
)

const shellHelp = `commands, one a line:
  put KEY VALUE   store VALUE (the rest of the line) under KEY
  get KEY         print the value stored under KEY
  help            this text
  quit            stop the plugin and exit (so does end of input)
`

// shell serves commands from in over one plugin session. A failing call is
// reported and the session goes on; it ends at EOF, "quit", or when the
// plugin exits (exit code 1 then).
func shell(kv *kvrpc.Client, client *plugin.Client, in io.Reader, out, errOut *os.File) int {
	interactive := isTerminal(in)
	scanner := bufio.NewScanner(in)
	scanner.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for {
		if interactive {
			fmt.Fprint(errOut, "kv> ")
		}
		if !scanner.Scan() {
			break
		}
		fields := strings.Fields(scanner.Text())
		var err error
		switch {
		case len(fields) == 0:
			continue
		case fields[0] == "quit" || fields[0] == "exit":
			return 0
		case fields[0] == "help":
			fmt.Fprint(errOut, shellHelp)
		case fields[0] == "get" && len(fields) == 2:
			err = get(kv, fields[1], out)
		case fields[0] == "put" && len(fields) >= 3:
			err = put(kv, fields[1], restAfter(scanner.Text(), 2))
		default:
			fmt.Fprintf(errOut, "kv: not a command: %q (try \"help\")\n", scanner.Text())
		}
		if err != nil {
			fmt.Fprintf(errOut, "kv: %v\n", err)
		}
		if client.Exited() {
			fmt.Fprintln(errOut, "kv: the plugin exited")
			return 1
		}
	}
	if err := scanner.Err(); err != nil {
		fmt.Fprintf(errOut, "kv: reading commands: %v\n", err)
		return 1
	}
	return 0
}

// restAfter is line without its first n words and the blanks after them,
// so that a value keeps its inner spaces.
func restAfter(line string, n int) string {
	rest := strings.TrimLeft(line, " \t")
	for i := 0; i < n; i++ {
		end := strings.IndexAny(rest, " \t")
		if end < 0 {
			return ""
		}
		rest = strings.TrimLeft(rest[end:], " \t")
	}
	return rest
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
