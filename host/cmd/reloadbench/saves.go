package main

import (
	"os"
	"path/filepath"
	"time"
)

// saveStyle is one way editors save a file. save returns when the save is
// complete: the moment the benchmark measures from.
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
	err := os.WriteFile(path, []byte(content), 0o644)
	return time.Now(), err
}

// saveByRename writes a temporary file beside the file and renames it over it.
func saveByRename(path, content string) (time.Time, error) {
	temporary := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".swp")
	if err := os.WriteFile(temporary, []byte(content), 0o644); err != nil {
		return time.Time{}, err
	}
	err := os.Rename(temporary, path)
	return time.Now(), err
}

// truncateThenWrite empties the file in one step and writes it in another,
// as some editors do.
func truncateThenWrite(path, content string) (time.Time, error) {
	if err := os.Truncate(path, 0); err != nil {
		return time.Time{}, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return time.Time{}, err
	}
	if _, err := f.WriteString(content); err != nil {
		f.Close()
		return time.Time{}, err
	}
	err = f.Close()
	return time.Now(), err
}
