// Command speedbench is the driver of bench/speed: it starts each peer (the
// bridge, a native Go plugin, a Node plugin) through go-plugin's client, as
// a real host does, and measures side by side start-up, Get/Put latency,
// Get throughput with several concurrent callers, resident memory, and a
// CPU-heavy handler's throughput, and streaming: a server stream's messages
// per second and a bidi stream's round trip. It prints a table of medians
// and the bridge's ratio to each peer, with issue #5's targets (and #12's for
// streams), and writes it as markdown. SPEEDBENCH_BASELINE adds another build
// of the bridge, compared with this one in a before/after table. bench/speed/run.sh builds everything and runs it; the sizes
// come from SPEEDBENCH_* variables (see bench/speed/README.md).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
)

func main() {
	os.Exit(run())
}

func progress(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "speedbench: "+format+"\n", args...)
}

func run() int {
	root := flag.String("root", ".", "the repository's root")
	work := flag.String("work", "", "working directory for the plugins' files (default ROOT/bench/speed/work)")
	out := flag.String("out", "", "markdown file for the results (default: none)")
	flag.Parse()
	absRoot, err := filepath.Abs(*root)
	if err != nil {
		progress("%v", err)
		return 2
	}
	if *work == "" {
		*work = filepath.Join(absRoot, "bench", "speed", "work")
	}
	cfg, err := loadConfig(absRoot, *work, *out)
	if err != nil {
		progress("%v", err)
		return 2
	}
	peers := basePeers(cfg)
	variants, err := bridgeVariants(cfg)
	if err != nil {
		progress("%v", err)
		return 2
	}
	peers = append(peers, variants...)
	warm, err := warmPeers(cfg)
	defer stopWarmRuntimes()
	if err != nil {
		progress("%v", err)
		return 2
	}
	peers = append(peers, warm...)
	if base, ok, err := baselinePeer(cfg); err != nil {
		progress("%v", err)
		return 2
	} else if ok {
		peers = append(peers, base)
	}
	if len(peers) == 0 {
		progress("no peers to run (SPEEDBENCH_PEERS)")
		return 2
	}
	doc, err := newDocument(cfg.docKB)
	if err != nil {
		progress("building the JSON document: %v", err)
		return 2
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	defer plugin.CleanupClients()
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-signals
		progress("interrupted: stopping the plugins")
		cancel()
		plugin.CleanupClients()
		os.Exit(130)
	}()

	level := hclog.LevelFromString(cfg.logLevel)
	if level == hclog.NoLevel {
		level = hclog.Error
	}
	b := &bench{
		cfg:    cfg,
		logger: hclog.New(&hclog.LoggerOptions{Name: "speedbench", Output: os.Stderr, Level: level}),
		ctx:    ctx,
		doc:    doc,
	}

	began := time.Now().UTC()
	loadBefore := loadAverage()
	results := make([]*result, len(peers))
	dirs := make([]string, len(peers))
	for i, p := range peers {
		results[i] = &result{peer: p}
		progress("peer %s: KV %s; Transform %s; streams %s; Fetch %s", p.name, p.kvCmd, p.benchCmd, p.streamCmd, p.fetchCmd)
		if dirs[i], err = b.workDir(i); err != nil {
			progress("%v", err)
			return 1
		}
	}
	if cfg.phases["starts"] || cfg.phases["mtls"] {
		b.starts(results, dirs)
	}
	if cfg.phases["kv"] {
		b.sessions(results, dirs, func(p peer) string { return p.kvCmd }, b.kvPhases())
	}
	if cfg.phases["cpu"] {
		b.sessions(results, dirs, func(p peer) string { return p.benchCmd }, b.cpuPhases())
	}
	if cfg.phases["streams"] {
		b.sessions(results, dirs, func(p peer) string { return p.streamCmd }, b.streamPhases())
	}
	if cfg.phases["fetch"] {
		b.fetchSessions(results, dirs)
	}
	if cfg.phases["instances"] {
		b.instances(results, dirs)
	}
	took := time.Since(began).Round(time.Second)

	report := render(cfg, results, began, took, loadBefore, loadAverage())
	fmt.Print(report)
	if cfg.out != "" {
		if err := os.WriteFile(cfg.out, []byte(report), 0o644); err != nil {
			progress("writing %s: %v", cfg.out, err)
			return 1
		}
		progress("wrote %s", cfg.out)
	}
	for _, r := range results {
		if len(r.errs) > 0 {
			return 1
		}
	}
	return 0
}

// render is the whole report, markdown that reads well in a terminal too.
func render(cfg config, results []*result, began time.Time, took time.Duration, loadBefore, loadAfter string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Results, %s\n\n", began.Format("2006-01-02 15:04 UTC"))
	for _, line := range machineInfo(cfg) {
		fmt.Fprintf(&b, "- %s\n", line)
	}
	fmt.Fprintf(&b, "- load average (1, 5, 15 min): %s before, %s after; the run took %s\n", loadBefore, loadAfter, took)
	fmt.Fprintf(&b, "- sizes: %s\n\n", cfg.sizes())
	b.WriteString(markdown(table(cfg, results)))
	b.WriteString("\nLatencies and start-up: lower is better; throughput: higher is better. " +
		"A ratio is the bridge's figure divided by the other peer's.\n\n")
	b.WriteString(markdown(targetTable(cfg, results)))
	var skipped []string
	for _, r := range results {
		for _, method := range []string{"Stream", "Echo", "Fetch", mtlsMethod} {
			if why, ok := r.unsupported[method]; ok {
				skipped = append(skipped, fmt.Sprintf("- %s: %s: %s", r.peer.name, method, why))
			}
		}
	}
	if len(skipped) > 0 {
		b.WriteString("\nNot measured (their rows show " + notMeasured + "):\n\n" + strings.Join(skipped, "\n") + "\n")
	}
	if rows := baselineTable(cfg, results); rows != nil {
		b.WriteString("\n### Before and after: the bridge against " + cfg.baseline + "\n\n" +
			"The same scripts, the two builds taking turns in the same run. A ratio is this build's figure divided by the baseline's.\n\n")
		b.WriteString(markdown(rows))
	}
	b.WriteString(warmSection(results))
	var errs []string
	for _, r := range results {
		for _, e := range r.errs {
			errs = append(errs, fmt.Sprintf("- %s: %s", r.peer.name, e))
		}
	}
	if len(errs) > 0 {
		b.WriteString("\nErrors (their rows show –):\n\n" + strings.Join(errs, "\n") + "\n")
	}
	return b.String()
}
