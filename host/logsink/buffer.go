// Package logsink holds what the Go host programs and the end-to-end suite share for capturing the
// output of a plugin and its host.
package logsink

import (
	"strings"
	"sync"
)

// Buffer is an in-memory writer that goroutines may write to and read from at once: go-plugin relays
// a plugin's lines into a host's log from goroutines of its own.
type Buffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String is everything written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
