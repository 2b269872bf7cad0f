package main

// The warm runtime's peers (SPEEDBENCH_WARM): the bridge with BRIDGE_WARM=1, each peer with a runtime of its own
// (its own XDG_RUNTIME_DIR, fresh for the run, removed at the end). The runtime is not a descendant of the plugin
// process a host starts, so its CPU time and resident memory are added to the client's (cpuTime, rssBytes): a start
// counts the CPU the runtime spent meanwhile, a session the runtime's whole memory. The first launch of a peer
// starts its runtime: it is round 0 of the starts, which the main table leaves out, so it is shown in a table of
// its own (warmSection).

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// warmDirs is each warm peer's XDG_RUNTIME_DIR, by peer name.
var warmDirs = map[string]string{}

// firstLaunches is each warm peer's first launch: start → first reply, and its CPU time, runtime included.
var firstLaunches = map[string][2]time.Duration{}

// warmPeers reads SPEEDBENCH_WARM: "1" (the default) adds "bridge (warm)", whose runtime uses the optimizing
// JavaScript runtime; "both" adds "bridge (warm, interpreter)" (BRIDGE_WARM_JIT=0) too; "0" none.
func warmPeers(c config) ([]peer, error) {
	mode := os.Getenv("SPEEDBENCH_WARM")
	if mode == "" {
		mode = "1"
	}
	variants := map[string][]string{
		"0":    nil,
		"1":    {"bridge (warm)"},
		"both": {"bridge (warm)", "bridge (warm, interpreter)"},
	}
	names, ok := variants[mode]
	if !ok {
		return nil, fmt.Errorf("SPEEDBENCH_WARM=%q: want 0, 1 or both", mode)
	}
	var out []peer
	for _, name := range names {
		dir, err := newWarmDir(name)
		if err != nil {
			return nil, err
		}
		env := warmEnv(dir)
		if strings.HasSuffix(name, "interpreter)") {
			env += " BRIDGE_WARM_JIT=0"
		}
		out = append(out, bridgePeer(c, name, "", "", env))
	}
	return out, nil
}

// newWarmDir makes the fresh XDG_RUNTIME_DIR of the warm peer name, removed at the end (stopWarmRuntimes).
func newWarmDir(name string) (string, error) {
	dir, err := os.MkdirTemp("", "speedbench-warm-")
	if err != nil {
		return "", err
	}
	warmDirs[name] = dir
	return dir, nil
}

// warmEnv is the launcher's environment for serving through the warm runtime in dir.
func warmEnv(dir string) string {
	return "BRIDGE_WARM=1 BRIDGE_WARM_IDLE=1h XDG_RUNTIME_DIR=" + dir
}

// warmRuntimePids is the runtime serving cmdline's plugin, if it is a warm peer's and its runtime runs.
func warmRuntimePids(cmdline string) []int {
	for _, dir := range warmDirs {
		if strings.Contains(cmdline, "XDG_RUNTIME_DIR="+dir) {
			if pid := runtimePid(dir); pid > 0 {
				return []int{pid}
			}
		}
	}
	return nil
}

// runtimePid reads the pid the runtime in dir logged when it began to listen ("warm runtime listening"); 0 if none
// runs.
func runtimePid(dir string) int {
	logs, _ := filepath.Glob(filepath.Join(dir, "bridge", "runtime-*.log"))
	pid := 0
	for _, log := range logs {
		data, err := os.ReadFile(log)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			var entry struct {
				Message string `json:"@message"`
				Pid     string `json:"pid"`
			}
			if json.Unmarshal([]byte(line), &entry) == nil && entry.Message == "warm runtime listening" {
				pid, _ = strconv.Atoi(entry.Pid)
			}
		}
	}
	if pid > 0 && processRuns(pid) {
		return pid
	}
	return 0
}

func processRuns(pid int) bool {
	f, err := statFields(pid)
	return err == nil && f[0] != "Z"
}

// runtimeCPU is the CPU time the warm runtime of cmdline has used so far (0 if it is not a warm peer's, or none runs).
func runtimeCPU(cmdline string) time.Duration {
	total := time.Duration(0)
	for _, pid := range warmRuntimePids(cmdline) {
		if cpu, err := processCPU(pid); err == nil {
			total += cpu
		}
	}
	return total
}

// noteFirstLaunch keeps round 0's start of a warm peer: the one that started its runtime.
func noteFirstLaunch(p peer, reply, cpu time.Duration) {
	if _, warm := warmDirs[p.name]; warm {
		firstLaunches[p.name] = [2]time.Duration{reply, cpu}
	}
}

// stopWarmRuntimes ends the warm peers' runtimes and removes their directories.
func stopWarmRuntimes() {
	for _, dir := range warmDirs {
		if pid := runtimePid(dir); pid > 0 {
			_ = syscall.Kill(pid, syscall.SIGTERM)
		}
		os.RemoveAll(dir)
	}
}

// warmSection is the table of the warm peers' first and later launches, or "" without warm peers.
func warmSection(results []*result) string {
	rows := [][]string{{"warm runtime", "first launch → first reply (ms)", "its CPU (ms)",
		"later launches → first reply (ms, median)", "their CPU (ms, median)"}}
	for _, r := range results {
		first, ok := firstLaunches[r.peer.name]
		if !ok {
			continue
		}
		row := []string{r.peer.name, fmt.Sprintf("%.0f", ms(first[0])), fmt.Sprintf("%.0f", ms(first[1])), "–", "–"}
		if v, ok := median(r.firstReply); ok {
			row[3] = fmt.Sprintf("%.0f", ms(v))
		}
		if v, ok := median(r.startCPU); ok {
			row[4] = fmt.Sprintf("%.0f", ms(v))
		}
		rows = append(rows, row)
	}
	if len(rows) == 1 {
		return ""
	}
	return "\n### The warm runtime (BRIDGE_WARM=1)\n\n" +
		"The first launch starts the runtime (a JVM, the engine, and here the optimizing compiler); later launches " +
		"start only the small client and a plugin instance in the running runtime. CPU counts the runtime's too; " +
		"resident memory in the main table is the client's and the whole runtime's, counted once for many instances.\n\n" +
		markdown(rows)
}
