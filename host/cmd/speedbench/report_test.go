package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func testConfig() config {
	return config{callers: []int{1, 8}, streams: []int{1, 4}, docKB: 10, cpuCallers: 8}
}

func rowOf(t *testing.T, rows [][]string, label string) []string {
	t.Helper()
	for _, row := range rows {
		if row[0] == label {
			return row
		}
	}
	t.Fatalf("no row %q in %v", label, rows)
	return nil
}

func TestUnimplementedMethodShowsDashAndRunGoesOn(t *testing.T) {
	bridge := &result{peer: peer{name: "bridge", kind: "bridge"}, getLat: []time.Duration{300 * time.Microsecond}}
	bridge.skip("Stream", "UNIMPLEMENTED: no handler")
	node := &result{peer: peer{name: "node", kind: "node"}, getLat: []time.Duration{200 * time.Microsecond},
		streamRate: map[int]float64{1: 150000, 4: 200000}}
	rows := table(testConfig(), []*result{bridge, node})

	if got := rowOf(t, rows, "Stream msgs/s, 1 stream"); got[1] != notMeasured || got[2] != "150000" || got[3] != notMeasured {
		t.Errorf("stream row = %q, want — for the bridge and its ratio", got)
	}
	// Echo was neither measured nor skipped: a failure's dash, not "not measured".
	if got := rowOf(t, rows, "Echo round trip p50 (µs)"); got[1] != "–" {
		t.Errorf("echo row = %q, want – for the bridge", got)
	}
	if got := rowOf(t, rows, "Get p50 (µs)"); got[3] != "1.50×" {
		t.Errorf("Get p50 row = %q, want ratio 1.50×", got)
	}
	report := render(testConfig(), []*result{bridge, node}, time.Now(), time.Second, "0", "0")
	if !strings.Contains(report, "- bridge: Stream: UNIMPLEMENTED: no handler") {
		t.Errorf("the report does not say why Stream was not measured:\n%s", report)
	}
}

func TestStreamTargetAgainstNode(t *testing.T) {
	bridge := &result{peer: peer{name: "bridge", kind: "bridge"}, streamRate: map[int]float64{1: 160000}}
	node := &result{peer: peer{name: "node", kind: "node"}, streamRate: map[int]float64{1: 150000}}
	rows := targetTable(testConfig(), []*result{bridge, node})
	if got := rowOf(t, rows, "Stream msgs/s, 1 stream ≥ 1.0× node (#12)"); got[1] != "PASS 1.07×" {
		t.Errorf("target row = %q", got)
	}
}

func TestBaselineHasItsOwnTable(t *testing.T) {
	bridge := &result{peer: peer{name: "bridge", kind: "bridge"}, getLat: []time.Duration{200 * time.Microsecond},
		throughput: map[int]float64{8: 12000}, streamRate: map[int]float64{1: 1000}}
	base := &result{peer: peer{name: "bridge (baseline)", kind: kindBaseline}, getLat: []time.Duration{400 * time.Microsecond},
		throughput: map[int]float64{8: 8000}}
	goPeer := &result{peer: peer{name: "go", kind: "go"}, getLat: []time.Duration{100 * time.Microsecond}}
	results := []*result{bridge, goPeer, base}

	main := table(testConfig(), results)
	if strings.Contains(strings.Join(main[0], "|"), "baseline") {
		t.Errorf("the main table has the baseline: %q", main[0])
	}
	rows := baselineTable(testConfig(), results)
	if got := rowOf(t, rows, "Get p50 (µs)"); got[1] != "400" || got[2] != "200" || got[3] != "0.50×" {
		t.Errorf("Get p50 before/after = %q", got)
	}
	if got := rowOf(t, rows, "Gets/s, 8 callers"); got[3] != "1.50×" {
		t.Errorf("Gets/s before/after = %q", got)
	}
	for _, row := range rows {
		if strings.HasPrefix(row[0], "Stream") || strings.HasPrefix(row[0], "Echo") {
			t.Errorf("a streaming row in the before/after table: %q", row)
		}
	}
	if baselineTable(testConfig(), []*result{bridge, goPeer}) != nil {
		t.Error("a before/after table without a baseline")
	}
}

func TestWarmBaselineIsComparedWithTheWarmBridge(t *testing.T) {
	defer func() { warmDirs = map[string]string{} }()
	warmDirs["bridge (warm)"] = "/tmp/a"
	warmDirs["bridge (baseline, warm)"] = "/tmp/b"
	cold := &result{peer: peer{name: "bridge", kind: "bridge"}, cpuRate: 700}
	warm := &result{peer: peer{name: "bridge (warm)", kind: "bridge"}, cpuRate: 3300}
	base := &result{peer: peer{name: "bridge (baseline, warm)", kind: kindBaseline}, cpuRate: 3000}
	rows := baselineTable(testConfig(), []*result{cold, warm, base})
	if rows == nil || rows[0][2] != "bridge (warm)" {
		t.Fatalf("the warm baseline's table: %q", rows)
	}
	if got := rowOf(t, rows, "Transform/s, 10 KB JSON, 8 callers"); got[3] != "1.10×" {
		t.Errorf("Transform/s before/after = %q", got)
	}
}

func TestBaselineIsACheckoutALauncherOrAJar(t *testing.T) {
	dir := t.TempDir()
	launcher := filepath.Join(dir, "bridge", "bin", "bridgejs")
	jar := filepath.Join(dir, "bridge", "target", "bridge.jar")
	for _, f := range []string{launcher, jar} {
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, given := range []string{dir, launcher, jar} {
		p, ok, err := baselinePeer(config{root: "/repo", baseline: given})
		if err != nil || !ok {
			t.Fatalf("%s: %v", given, err)
		}
		if !strings.Contains(p.kvCmd, shellQuote(launcher)+" '/repo/scripts/kv.js'") || p.kind != kindBaseline || p.streamCmd != "" {
			t.Errorf("%s: peer %+v", given, p)
		}
	}
	if _, _, err := baselinePeer(config{root: "/repo", baseline: filepath.Join(dir, "bridge")}); err == nil {
		t.Error("a directory without bridge/bin/bridgejs was taken")
	}
	if _, ok, err := baselinePeer(config{}); ok || err != nil {
		t.Errorf("no baseline: ok %v, err %v", ok, err)
	}
}

func TestUnimplementedIsFoundWrapped(t *testing.T) {
	err := fmt.Errorf("Stream, after 0 items: %w", status.Error(codes.Unimplemented, "no handler"))
	if why, ok := unimplemented(err); !ok || why != "UNIMPLEMENTED: no handler" {
		t.Errorf("unimplemented(%v) = %q, %v", err, why, ok)
	}
	if _, ok := unimplemented(status.Error(codes.Internal, "boom")); ok {
		t.Error("INTERNAL taken for UNIMPLEMENTED")
	}
}

func TestQuickModeChangesDefaultsOnly(t *testing.T) {
	t.Setenv("SPEEDBENCH_QUICK", "1")
	t.Setenv("SPEEDBENCH_CALLS", "777")
	c, err := loadConfig("/repo", "/work", "")
	if err != nil {
		t.Fatal(err)
	}
	if c.starts != 2 || c.calls != 777 || c.variants != "" || c.pings != 777 {
		t.Errorf("quick config: starts %d, calls %d, variants %q, pings %d", c.starts, c.calls, c.variants, c.pings)
	}
}

func TestWarmInstancesCountTheirRuntimeOnce(t *testing.T) {
	// Three clients (pids 11, 12, 13) of one warm runtime (pid 5), each with a child.
	memory := map[int]int64{5: 300, 11: 2, 12: 2, 13: 2, 21: 1, 22: 1, 23: 1}
	read := func(pid int) (int64, error) {
		v, ok := memory[pid]
		if !ok {
			return 0, fmt.Errorf("no process %d", pid)
		}
		return v, nil
	}
	total, err := sumOnce([][]int{{11, 21, 5}, {12, 22, 5}, {13, 23, 5}}, read)
	if err != nil || total != 309 {
		t.Errorf("sumOnce = %d, %v; want 309 (the runtime once)", total, err)
	}
	if _, err := sumOnce([][]int{{11, 99}}, read); err == nil {
		t.Error("a process that cannot be read was left out silently")
	}
}

func TestInstancesRowsAndTarget(t *testing.T) {
	c := testConfig()
	c.instances = 10
	c.instanceLoad = 10 * time.Second
	warm := &result{peer: peer{name: "bridge (warm)", kind: "bridge"},
		instances: instancesFigures{oneRSS: 300 << 20, oneLoadedRSS: 310 << 20, rss: 320 << 20, loadedRSS: 400 << 20, started: 10}}
	node := &result{peer: peer{name: "node", kind: "node"},
		instances: instancesFigures{oneRSS: 60 << 20, oneLoadedRSS: 70 << 20, rss: 600 << 20, loadedRSS: 800 << 20, started: 10}}
	rows := table(c, []*result{warm, node})
	if got := rowOf(t, rows, "RSS of 10 instances after 10s of Gets and Puts, 2 callers each (MB)"); got[1] != "400.0" || got[3] != "0.50×" {
		t.Errorf("loaded row = %q", got)
	}
	if got := rowOf(t, rows, "RSS of 1 instance after one Get (MB)"); got[3] != "5.00×" {
		t.Errorf("one instance row = %q", got)
	}
	targets := targetTable(c, []*result{warm, node})
	if got := rowOf(t, targets, "RSS of 10 instances after load ≤ 1.0× node (#15)"); got[1] != "PASS 0.50×" {
		t.Errorf("target row = %q", got)
	}
}
