package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// config holds the benchmark's sizes; every one can be set from the
// environment (see bench/speed/README.md) so a quick run and a thorough run
// are the same command.
type config struct {
	root, work, out string
	peers           []string      // base peers to run: bridge, go, node
	variants        string        // SPEEDBENCH_BRIDGE_VARIANTS, parsed by bridgeVariants
	node            string        // the node executable
	starts          int           // measured starts per peer (after one unmeasured)
	warmup          time.Duration // Get+Put pairs before the latency runs, for this long
	warmupCallers   int
	calls           int // sequential calls per latency run
	seconds         time.Duration
	callers         []int
	cpuCallers      int
	cpuWarmup       time.Duration
	cpuSeconds      time.Duration
	docKB           int
	logLevel        string
	quick           bool            // SPEEDBENCH_QUICK=1: small defaults, for development
	baseline        string          // SPEEDBENCH_BASELINE: another bridge build's launcher, or ""
	streamMessages  int             // items per Stream call
	streamSize      int             // payload bytes per item
	streams         []int           // concurrent Stream calls of the streaming throughput runs
	streamWarmup    time.Duration   // Stream calls and Echo round trips before the stream runs
	streamSeconds   time.Duration   // per streaming throughput run
	pings           int             // Echo round trips per latency run
	fetchCallers    int             // concurrent Fetch callers
	fetchWarmup     time.Duration   // Fetch calls before the measured run
	fetchSeconds    time.Duration   // the measured Fetch run
	phases          map[string]bool // SPEEDBENCH_PHASES: which parts run (starts, mtls, kv, cpu, streams, fetch, instances)
	instances       int             // SPEEDBENCH_INSTANCES: plugin processes started at once (instances.go)
	baselineStreams bool            // SPEEDBENCH_BASELINE_STREAMS=1: the baseline runs the streaming phases too
	baselineWarm    bool            // SPEEDBENCH_BASELINE_WARM=1: the baseline serves through a warm runtime of its own
}

// defaultVariants are the bridge's columns beside plain `bridge`: the optimizing JavaScript runtime, and the
// JVM's quick compiler alone (a quicker start, slower calls).
const defaultVariants = "bridge (JIT)|||BRIDGE_JIT=1;bridge (C1)|-XX:TieredStopAtLevel=1||"

func loadConfig(root, work, out string) (config, error) {
	c := config{root: root, work: work, out: out}
	var errs []string
	str := func(name, def string) string {
		if v := strings.TrimSpace(os.Getenv(name)); v != "" {
			return v
		}
		return def
	}
	// Quick mode only changes the defaults: a variable set explicitly still wins. Its figures are of
	// plugins still warming up, for checking that everything runs, not for comparing.
	c.quick = str("SPEEDBENCH_QUICK", "") == "1"
	pick := func(full, quick float64) float64 {
		if c.quick {
			return quick
		}
		return full
	}
	num := func(name string, def, min int) int {
		v := str(name, "")
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < min {
			errs = append(errs, fmt.Sprintf("%s=%q: want an integer >= %d", name, v, min))
			return def
		}
		return n
	}
	secs := func(name string, def float64) time.Duration {
		v := str(name, "")
		if v == "" {
			return time.Duration(def * float64(time.Second))
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f <= 0 {
			errs = append(errs, fmt.Sprintf("%s=%q: want a number of seconds > 0", name, v))
			return time.Duration(def * float64(time.Second))
		}
		return time.Duration(f * float64(time.Second))
	}

	c.peers = splitList(str("SPEEDBENCH_PEERS", "bridge,go,node"))
	for _, p := range c.peers {
		if p != "bridge" && p != "go" && p != "node" {
			errs = append(errs, fmt.Sprintf("SPEEDBENCH_PEERS: unknown peer %q (bridge, go, node)", p))
		}
	}
	// The two other ways to run the bridge, each a trade-off the README's table should show: unset means
	// these, set and empty means none.
	c.variants = defaultVariants
	if c.quick {
		c.variants = ""
	}
	if v, ok := os.LookupEnv("SPEEDBENCH_BRIDGE_VARIANTS"); ok {
		c.variants = v
	}
	c.node = str("SPEEDBENCH_NODE", "node")
	c.starts = num("SPEEDBENCH_STARTS", int(pick(10, 2)), 1)
	// The JVM's optimizing compiler keeps recompiling the JavaScript interpreter for about 20 s of this
	// load (measured: its CPU time per call fell 5-fold between 6 s and 25 s); before that, the bridge's
	// figures are of a plugin still warming up, not of a long-lived one.
	c.warmup = secs("SPEEDBENCH_WARMUP_SECONDS", pick(20, 1))
	c.warmupCallers = num("SPEEDBENCH_WARMUP_CALLERS", 8, 1)
	c.calls = num("SPEEDBENCH_CALLS", int(pick(5000, 500)), 1)
	c.seconds = secs("SPEEDBENCH_SECONDS", pick(3, 1))
	for _, s := range splitList(str("SPEEDBENCH_CALLERS", "1,8,64")) {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			errs = append(errs, fmt.Sprintf("SPEEDBENCH_CALLERS: %q is not a number of callers >= 1", s))
			continue
		}
		c.callers = append(c.callers, n)
	}
	c.cpuCallers = num("SPEEDBENCH_CPU_CALLERS", 8, 1)
	// Long enough for the optimizing JavaScript runtime (BRIDGE_JIT=1) to compile the handler: the target
	// is about a long-lived process.
	c.cpuWarmup = secs("SPEEDBENCH_CPU_WARMUP_SECONDS", pick(30, 1))
	c.cpuSeconds = secs("SPEEDBENCH_CPU_SECONDS", pick(5, 1))
	c.docKB = num("SPEEDBENCH_DOC_KB", 10, 1)
	c.logLevel = str("SPEEDBENCH_LOG_LEVEL", "error")
	c.baseline = str("SPEEDBENCH_BASELINE", "")
	// Calls long enough that a call's start and end weigh little beside its messages, short enough
	// that the slowest peer finishes a few within a run (a call in flight when the time is up is
	// waited for, and counts).
	c.streamMessages = num("SPEEDBENCH_STREAM_MESSAGES", int(pick(20000, 5000)), 1)
	c.streamSize = num("SPEEDBENCH_STREAM_SIZE", 16, 0)
	for _, s := range splitList(str("SPEEDBENCH_STREAMS", "1,4")) {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			errs = append(errs, fmt.Sprintf("SPEEDBENCH_STREAMS: %q is not a number of streams >= 1", s))
			continue
		}
		c.streams = append(c.streams, n)
	}
	// The JVM compiles the streaming path (the bridge's generator resumption, flow control) as it did
	// the unary one: the same kind of warm-up.
	c.streamWarmup = secs("SPEEDBENCH_STREAM_WARMUP_SECONDS", pick(15, 1))
	c.streamSeconds = secs("SPEEDBENCH_STREAM_SECONDS", pick(5, 1))
	c.pings = num("SPEEDBENCH_PINGS", c.calls, 1)
	c.fetchCallers = num("SPEEDBENCH_FETCH_CALLERS", 8, 1)
	c.fetchWarmup = secs("SPEEDBENCH_FETCH_WARMUP_SECONDS", pick(15, 1))
	c.fetchSeconds = secs("SPEEDBENCH_FETCH_SECONDS", pick(5, 1))
	// Working on one part (say the streams) needs only that part's figures: a minute instead of several.
	c.phases = map[string]bool{}
	for _, p := range splitList(str("SPEEDBENCH_PHASES", "starts,mtls,kv,cpu,streams,fetch,instances")) {
		switch p {
		case "starts", "mtls", "kv", "cpu", "streams", "fetch", "instances":
		default:
			errs = append(errs, fmt.Sprintf("SPEEDBENCH_PHASES: unknown phase %q (starts, mtls, kv, cpu, streams, fetch, instances)", p))
		}
		c.phases[p] = true
	}
	c.baselineStreams = str("SPEEDBENCH_BASELINE_STREAMS", "") == "1"
	c.baselineWarm = str("SPEEDBENCH_BASELINE_WARM", "") == "1"
	c.instances = num("SPEEDBENCH_INSTANCES", int(pick(10, 3)), 1)
	if len(errs) > 0 {
		return c, fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return c, nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// sizes is the one-line summary of the sizes, printed with the results.
func (c config) sizes() string {
	return fmt.Sprintf("%d starts per peer (+1 unmeasured), peers taking turns; KV warm-up %s of Get+Put with %d callers; "+
		"%d sequential calls per latency run; %s per throughput run with %v callers; "+
		"Transform of a %d KB document with %d callers, %s warm-up + %s measured; "+
		"streams: %s warm-up, Stream calls of %d items of %d bytes for %s with %v concurrent streams, %d Echo round trips; "+
		"Fetch of a %d-byte JSON document from a loopback server with %d callers, %s warm-up + %s measured",
		c.starts, c.warmup, c.warmupCallers, c.calls, c.seconds, c.callers, c.docKB, c.cpuCallers, c.cpuWarmup, c.cpuSeconds,
		c.streamWarmup, c.streamMessages, c.streamSize, c.streamSeconds, c.streams, c.pings,
		len(fetchDocument), c.fetchCallers, c.fetchWarmup, c.fetchSeconds)
}
