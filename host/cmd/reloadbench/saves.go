package main

import (
	"os"
	"path/filepath"
	"time"
)

// saveStyle is one way editors save a file. save returns the moment its last
// step began: the write or rename that puts the new contents in place. The
// time is read before that step, not after it: with the callers busy, the
// goroutine may wait to be scheduled after a system call, and a late reading
// would shorten the figure; an early one can only lengthen it, by the step's
// own few microseconds.
type saveStyle struct {
	name string
	save func(path, content string) (time.Time, error)
}

var saveStyles = []saveStyle{
	{"write-in-place", writeInPlace},
	{"save-by-rename", saveByRename},
	{"truncate-then-write", truncateThenWrite},
}

// writeInPlace opens the file truncating it, writes and closes it.
func writeInPlace(path, content string) (time.Time, error) {
	last := time.Now()
	return last, os.WriteFile(path, []byte(content), 0o644)
}

// saveByRename writes a temporary file beside the file and renames it over it.
func saveByRename(path, content string) (time.Time, error) {
	temporary := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".swp")
	if err := os.WriteFile(temporary, []byte(content), 0o644); err != nil {
		return time.Time{}, err
	}
	last := time.Now()
	return last, os.Rename(temporary, path)
}

// truncateThenWrite empties the file in one step and writes it in another,
// as some editors do.
func truncateThenWrite(path, content string) (time.Time, error) {
	if err := os.Truncate(path, 0); err != nil {
		return time.Time{}, err
	}
	last := time.Now()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return time.Time{}, err
	}
	if _, err := f.WriteString(content); err != nil {
		f.Close()
		return time.Time{}, err
	}
	return last, f.Close()
}
