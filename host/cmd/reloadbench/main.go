// Command reloadbench measures dev mode's reloads through a real go-plugin
// host session: it starts the bridge with BRIDGE_DEV=1 on a KV script, keeps
// calling Get from several goroutines, and rewrites the script again and
// again so that Get answers a new version marker. For each reload it takes
// the time from the save (the write or rename returning) to the first call
// answered by the new code, and it counts failed calls.
//
//	reloadbench -root REPO [-reloads 50] [-callers 4] [-pause 250ms] [-target 200ms]
//
// bench/reload.sh builds and runs it. The exit code is 0 when the target is
// met (median below -target, no failed call), 1 when it is missed, 2 on a
// usage or set-up error.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

type config struct {
	root     string        // repository root: bridge/bin/bridgejs, proto/kv.proto
	reloads  int           // how many reloads to measure
	callers  int           // goroutines calling Get without pause
	pause    time.Duration // between a reload being seen and the next save
	target   time.Duration // the median to stay under
	guard    time.Duration // hang guard for one reload
	startMax time.Duration // go-plugin start timeout
	verbose  bool          // print the host log at the end
}

func main() {
	os.Exit(run())
}

func run() int {
	var c config
	flag.StringVar(&c.root, "root", "", "repository root (default: found above the working directory)")
	flag.IntVar(&c.reloads, "reloads", 50, "reloads to measure")
	flag.IntVar(&c.callers, "callers", 4, "goroutines calling Get continuously")
	flag.DurationVar(&c.pause, "pause", 250*time.Millisecond, "pause between a reload being seen and the next save")
	flag.DurationVar(&c.target, "target", 200*time.Millisecond, "target: the median save-to-new-answer time stays under this")
	flag.DurationVar(&c.guard, "guard", 30*time.Second, "give up when a reload is not seen within this")
	flag.DurationVar(&c.startMax, "start-timeout", 2*time.Minute, "go-plugin start timeout")
	flag.BoolVar(&c.verbose, "v", false, "print the host log (with the plugin's lines) at the end")
	flag.Parse()
	if flag.NArg() > 0 || c.reloads < 1 || c.callers < 1 {
		flag.Usage()
		return 2
	}
	if c.root == "" {
		root, err := findRoot()
		if err != nil {
			fmt.Fprintln(os.Stderr, "reloadbench:", err)
			return 2
		}
		c.root = root
	}
	result, err := measure(c)
	if err != nil {
		fmt.Fprintln(os.Stderr, "reloadbench:", err)
		if result != nil && result.log != "" {
			fmt.Fprintf(os.Stderr, "--- host log ---\n%s", result.log)
		}
		return 2
	}
	if c.verbose {
		fmt.Fprintf(os.Stderr, "--- host log ---\n%s", result.log)
	}
	if report(os.Stdout, c, result) {
		return 0
	}
	return 1
}

// findRoot is the first directory above the working directory holding
// pom.xml and host/.
func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if exists(filepath.Join(d, "pom.xml")) && exists(filepath.Join(d, "host")) {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no repository root above %s; give -root", dir)
		}
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
