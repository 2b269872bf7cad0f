package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"

	"bridge/host/benchrpc"
	"bridge/host/kvrpc"
)

// plugins is the host's plugin set: dispensing only wraps the connection,
// so one set serves the KV and the Bench processes alike.
func plugins() map[string]plugin.Plugin {
	return map[string]plugin.Plugin{
		kvrpc.PluginName:    &kvrpc.KVPlugin{},
		benchrpc.PluginName: &benchrpc.BenchPlugin{},
	}
}

// running is one started plugin process, through go-plugin's client as a
// host has it.
type running struct {
	client  *plugin.Client
	rpc     plugin.ClientProtocol
	cmdline string
}

// start launches cmdline (sh -c) in dir and waits for its handshake. The
// caller must kill what it gets back.
func start(cmdline, dir string, logger hclog.Logger) (*running, error) {
	return startWith(cmdline, dir, logger, false)
}

// startWith is start, with go-plugin's AutoMTLS if autoMTLS.
func startWith(cmdline, dir string, logger hclog.Logger, autoMTLS bool) (*running, error) {
	cmd := exec.Command("sh", "-c", cmdline)
	cmd.Dir = dir
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  kvrpc.Handshake,
		Plugins:          plugins(),
		Cmd:              cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		Logger:           logger,
		Managed:          true,
		StartTimeout:     2 * time.Minute,
		AutoMTLS:         autoMTLS,
	})
	rpc, err := client.Client()
	if err != nil {
		client.Kill()
		return nil, fmt.Errorf("starting %s: %w", cmdline, err)
	}
	return &running{client: client, rpc: rpc, cmdline: cmdline}, nil
}

func (r *running) kv() (*kvrpc.Client, error) {
	raw, err := r.rpc.Dispense(kvrpc.PluginName)
	if err != nil {
		return nil, err
	}
	return raw.(*kvrpc.Client), nil
}

func (r *running) bench() (*benchrpc.Client, error) {
	raw, err := r.rpc.Dispense(benchrpc.PluginName)
	if err != nil {
		return nil, err
	}
	return raw.(*benchrpc.Client), nil
}

func (r *running) kill() { r.client.Kill() }

// rssBytes is the resident memory of the plugin: every process of it
// (memoryOf).
func (r *running) rssBytes() (int64, error) {
	return memoryOf([]*running{r}, vmRSS)
}

// vmRSS is one process's resident memory in bytes.
func vmRSS(pid int) (int64, error) {
	return kbLine(fmt.Sprintf("/proc/%d/status", pid), "VmRSS:")
}

// pssOf is one process's proportional set size (/proc/<pid>/smaps_rollup):
// each page shared with other processes counts its share, so summed over
// processes sharing a file's pages, they count once.
func pssOf(pid int) (int64, error) {
	return kbLine(fmt.Sprintf("/proc/%d/smaps_rollup", pid), "Pss:")
}

// pids are the processes of the plugin: sh execs the command and
// bridge/bin/bridgejs execs java, so the pid is normally the plugin itself,
// but a launcher that forks would otherwise hide its plugin, hence its
// descendants; and a warm peer's runtime (warm.go), which is not one of them.
func (r *running) pids() ([]int, error) {
	rc := r.client.ReattachConfig()
	if rc == nil {
		return nil, fmt.Errorf("the plugin process is not running")
	}
	pids := append([]int{rc.Pid}, descendants(rc.Pid)...)
	return append(pids, warmRuntimePids(r.cmdline)...), nil
}

// memoryOf adds up read(pid) over every process of the plugins, each process
// once: plugins of a warm peer share its runtime.
func memoryOf(plugins []*running, read func(pid int) (int64, error)) (int64, error) {
	var each [][]int
	for _, r := range plugins {
		pids, err := r.pids()
		if err != nil {
			return 0, err
		}
		each = append(each, pids)
	}
	return sumOnce(each, read)
}

// sumOnce adds up read(pid) over the pids of every list, a pid in several
// lists once.
func sumOnce(lists [][]int, read func(pid int) (int64, error)) (int64, error) {
	seen := map[int]bool{}
	total := int64(0)
	for _, pids := range lists {
		for _, pid := range pids {
			if seen[pid] {
				continue
			}
			seen[pid] = true
			v, err := read(pid)
			if err != nil {
				return 0, err
			}
			total += v
		}
	}
	return total, nil
}

// cpuTime is the CPU time the plugin's processes (pids) have used so far,
// their exited children included (a launcher's `java -version` check
// counts): user + system, from /proc/<pid>/stat. Unlike wall-clock times it
// hardly depends on what else the machine is running.
func (r *running) cpuTime() (time.Duration, error) {
	pids, err := r.pids()
	if err != nil {
		return 0, err
	}
	total := time.Duration(0)
	for _, pid := range pids {
		cpu, err := processCPU(pid)
		if err != nil {
			return 0, err
		}
		total += cpu
	}
	return total, nil
}

// processCPU is pid's user + system time with its exited children's.
func processCPU(pid int) (time.Duration, error) {
	f, err := statFields(pid)
	if err != nil {
		return 0, err
	}
	total := time.Duration(0)
	// utime, stime, cutime, cstime: fields 14 to 17 of stat, counted
	// from the state (field 3) on.
	for _, field := range f[11:15] {
		ticks, err := strconv.ParseInt(field, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/%d/stat: %v", pid, err)
		}
		total += time.Duration(ticks) * time.Second / clockTicks
	}
	return total, nil
}

// clockTicks is USER_HZ, the unit of /proc's CPU times: 100 on Linux for
// every architecture Go supports there.
const clockTicks = 100

// statFields are the fields of /proc/<pid>/stat after "pid (comm)", which
// may hold spaces and parentheses: the state is f[0], the ppid f[1].
func statFields(pid int) ([]string, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil, err
	}
	s := string(data)
	end := strings.LastIndexByte(s, ')')
	if end < 0 {
		return nil, fmt.Errorf("/proc/%d/stat: no ')'", pid)
	}
	f := strings.Fields(s[end+1:])
	if len(f) < 15 {
		return nil, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(f))
	}
	return f, nil
}

// kbLine is the bytes of the line "NAME 12345 kB" of a /proc file.
func kbLine(path, name string) (int64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest := strings.TrimPrefix(line, name); rest != line {
			f := strings.Fields(rest) // "12345 kB"
			if len(f) == 2 && f[1] == "kB" {
				kb, err := strconv.ParseInt(f[0], 10, 64)
				return kb * 1024, err
			}
		}
	}
	return 0, fmt.Errorf("%s has no %s line", path, name)
}

// descendants lists the processes below pid, read from /proc/*/stat.
func descendants(pid int) []int {
	children := map[int][]int{}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, path := range stats {
		child, err := strconv.Atoi(filepath.Base(filepath.Dir(path)))
		if err != nil {
			continue
		}
		f, err := statFields(child)
		if err != nil {
			continue // the process ended meanwhile
		}
		if parent, err := strconv.Atoi(f[1]); err == nil {
			children[parent] = append(children[parent], child)
		}
	}
	var out []int
	queue := []int{pid}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		out = append(out, children[p]...)
		queue = append(queue, children[p]...)
	}
	return out
}
