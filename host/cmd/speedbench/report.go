package main

import (
	"fmt"
	"strings"
	"time"
)

// metric is one row of the table: how to read it from a result.
type metric struct {
	label  string
	value  func(*result) (float64, bool)
	fmt    func(float64) string
	method string // the Bench method measured, whose UNIMPLEMENTED shows as "—"
	stream bool   // a streaming measurement: not in the before/after table
	// noRatio: the value is itself a difference, which a ratio would not make clearer.
	noRatio bool
}

// notMeasured is the cell of a method the peer does not serve (UNIMPLEMENTED):
// the reason is printed below the table. A failed measurement shows "–".
const notMeasured = "—"

// cell is m's value for r as the table shows it.
func (m metric) cell(r *result) string {
	if v, ok := m.value(r); ok {
		return m.fmt(v)
	}
	if _, skipped := r.unsupported[m.method]; skipped && m.method != "" {
		return notMeasured
	}
	return "–"
}

// ratioCell is a's value divided by b's, or why there is none.
func (m metric) ratioCell(a, b *result) string {
	if m.noRatio {
		return ""
	}
	va, oka := m.value(a)
	vb, okb := m.value(b)
	if oka && okb && vb > 0 {
		return ratio(va, vb)
	}
	if m.cell(a) == notMeasured || m.cell(b) == notMeasured {
		return notMeasured
	}
	return "–"
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
func mb(b int64) float64         { return float64(b) / (1 << 20) }

// ticks shows a CPU time from /proc, counted in 10 ms ticks.
func ticks(v float64) string {
	if v < 10 {
		return "< 10"
	}
	return fmt.Sprintf("%.0f", v)
}

func fixed(prec int) func(float64) string {
	return func(v float64) string { return fmt.Sprintf("%.*f", prec, v) }
}

func metrics(c config) []metric {
	withMedian := func(get func(*result) []time.Duration, scale func(time.Duration) float64) func(*result) (float64, bool) {
		return func(r *result) (float64, bool) {
			d, ok := median(get(r))
			return scale(d), ok
		}
	}
	withPercentile := func(get func(*result) []time.Duration, p float64) func(*result) (float64, bool) {
		return func(r *result) (float64, bool) {
			d, ok := percentile(get(r), p)
			return us(d), ok
		}
	}
	positive := func(get func(*result) float64) func(*result) (float64, bool) {
		return func(r *result) (float64, bool) { v := get(r); return v, v > 0 }
	}
	out := []metric{
		{label: "start → handshake, median (ms)", value: withMedian(func(r *result) []time.Duration { return r.handshake }, ms), fmt: fixed(1)},
		{label: "start → first reply, median (ms)", value: withMedian(func(r *result) []time.Duration { return r.firstReply }, ms), fmt: fixed(1)},
		{label: "CPU time to first reply, median (ms)", value: withMedian(func(r *result) []time.Duration { return r.startCPU }, ms), fmt: ticks},
	}
	out = append(out, mtlsMetrics(withMedian)...)
	out = append(out, []metric{
		{label: "Get p50 (µs)", value: withPercentile(func(r *result) []time.Duration { return r.getLat }, 50), fmt: fixed(0)},
		{label: "Get p99 (µs)", value: withPercentile(func(r *result) []time.Duration { return r.getLat }, 99), fmt: fixed(0)},
		{label: "Put p50 (µs)", value: withPercentile(func(r *result) []time.Duration { return r.putLat }, 50), fmt: fixed(0)},
		{label: "Put p99 (µs)", value: withPercentile(func(r *result) []time.Duration { return r.putLat }, 99), fmt: fixed(0)},
	}...)
	for _, callers := range c.callers {
		callers := callers
		out = append(out, metric{label: fmt.Sprintf("Gets/s, %d caller%s", callers, plural(callers)),
			value: positive(func(r *result) float64 { return r.throughput[callers] }), fmt: fixed(0)})
	}
	for _, callers := range c.callers {
		callers := callers
		out = append(out, metric{label: fmt.Sprintf("plugin CPU per Get, %d caller%s (µs)", callers, plural(callers)),
			value: positive(func(r *result) float64 { return r.getCPU[callers] }), fmt: fixed(0)})
	}
	out = append(out,
		metric{label: "RSS after the KV run (MB)", value: positive(func(r *result) float64 { return mb(r.rssKV) }), fmt: fixed(1)},
		metric{label: transformLabel(c), value: positive(func(r *result) float64 { return r.cpuRate }), fmt: fixed(1)},
		metric{label: "CPU per Transform (µs)", value: positive(func(r *result) float64 { return r.cpuPerCall }), fmt: fixed(0)},
		metric{label: "RSS after the Transform run (MB)", value: positive(func(r *result) float64 { return mb(r.rssCPU) }), fmt: fixed(1)},
	)
	for _, n := range c.streams {
		n := n
		out = append(out, metric{label: streamLabel(n),
			value: positive(func(r *result) float64 { return r.streamRate[n] }), fmt: fixed(0), method: "Stream", stream: true})
	}
	out = append(out,
		metric{label: "Echo round trip p50 (µs)", value: withPercentile(func(r *result) []time.Duration { return r.echoLat }, 50),
			fmt: fixed(0), method: "Echo", stream: true},
		metric{label: "Echo round trip p99 (µs)", value: withPercentile(func(r *result) []time.Duration { return r.echoLat }, 99),
			fmt: fixed(0), method: "Echo", stream: true},
		metric{label: "RSS after the stream run (MB)", value: positive(func(r *result) float64 { return mb(r.rssStream) }),
			fmt: fixed(1), stream: true},
		metric{label: fetchLabel(c), value: positive(func(r *result) float64 { return r.fetchRate }), fmt: fixed(0), method: "Fetch"},
	)
	out = append(out, instancesMetrics(c)...)
	return out
}

func streamLabel(streams int) string {
	return fmt.Sprintf("Stream msgs/s, %d stream%s", streams, plural(streams))
}

func transformLabel(c config) string {
	return fmt.Sprintf("Transform/s, %d KB JSON, %d callers", c.docKB, c.cpuCallers)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// ratio formats a/b as "1.23×".
func ratio(a, b float64) string {
	r := a / b
	switch {
	case r >= 100:
		return fmt.Sprintf("%.0f×", r)
	case r >= 10:
		return fmt.Sprintf("%.1f×", r)
	default:
		return fmt.Sprintf("%.2f×", r)
	}
}

// table renders the results, one column per peer and one per bridge
// peer and other peer pair (the bridge's value divided by the other's).
// The baseline (SPEEDBENCH_BASELINE) has a table of its own, baselineTable.
func table(c config, all []*result) [][]string {
	var results []*result
	for _, r := range all {
		if r.peer.kind != kindBaseline {
			results = append(results, r)
		}
	}
	header := []string{"metric"}
	for _, r := range results {
		header = append(header, r.peer.name)
	}
	type pair struct{ a, b *result }
	var pairs []pair
	for _, a := range results {
		if a.peer.kind != "bridge" {
			continue
		}
		for _, b := range results {
			if b.peer.kind != "bridge" {
				pairs = append(pairs, pair{a, b})
				header = append(header, a.peer.name+" ÷ "+b.peer.name)
			}
		}
	}
	rows := [][]string{header}
	for _, m := range metrics(c) {
		row := []string{m.label}
		for _, r := range results {
			row = append(row, m.cell(r))
		}
		for _, p := range pairs {
			row = append(row, m.ratioCell(p.a, p.b))
		}
		rows = append(rows, row)
	}
	return rows
}

// baselineTable puts the bridge (its warm peer for a warm baseline) beside the baseline build (SPEEDBENCH_BASELINE)
// on the unary rows (and the streaming ones with SPEEDBENCH_BASELINE_STREAMS=1), with their ratio: before and after a change, in one run.
// Nil without a baseline.
func baselineTable(c config, results []*result) [][]string {
	var base *result
	for _, r := range results {
		if r.peer.kind == kindBaseline {
			base = r
			break
		}
	}
	if base == nil {
		return nil
	}
	// A warm baseline (SPEEDBENCH_BASELINE_WARM) against this build's warm peer, a cold one against its first bridge.
	_, baseWarm := warmDirs[base.peer.name]
	var bridge *result
	for _, r := range results {
		if _, warm := warmDirs[r.peer.name]; r.peer.kind == "bridge" && warm == baseWarm {
			bridge = r
			break
		}
	}
	if bridge == nil || base == nil {
		return nil
	}
	rows := [][]string{{"metric", base.peer.name, bridge.peer.name, bridge.peer.name + " ÷ " + base.peer.name}}
	for _, m := range metrics(c) {
		if !m.stream || c.baselineStreams {
			rows = append(rows, []string{m.label, m.cell(base), m.cell(bridge), m.ratioCell(bridge, base)})
		}
	}
	return rows
}

// target is one of issue #5's goals for the bridge.
type target struct {
	label string
	check func(bridge *result, peers map[string]*result) (met bool, shown string, ok bool)
}

func targets(c config) []target {
	ms := metrics(c)
	find := func(label string) metric {
		for _, m := range ms {
			if m.label == label {
				return m
			}
		}
		panic("no metric " + label)
	}
	absolute := func(m metric, limit float64, unit string) func(*result, map[string]*result) (bool, string, bool) {
		return func(b *result, _ map[string]*result) (bool, string, bool) {
			v, ok := m.value(b)
			return v <= limit, m.fmt(v) + " " + unit, ok
		}
	}
	relative := func(m metric, peer string, limit float64, atMost bool) func(*result, map[string]*result) (bool, string, bool) {
		return func(b *result, peers map[string]*result) (bool, string, bool) {
			p := peers[peer]
			if p == nil {
				return false, "", false
			}
			vb, okb := m.value(b)
			vp, okp := m.value(p)
			if !okb || !okp || vp <= 0 {
				return false, "", false
			}
			r := vb / vp
			if atMost {
				return r <= limit, ratio(vb, vp), true
			}
			return r >= limit, ratio(vb, vp), true
		}
	}
	out := []target{
		{"start → first reply ≤ 250 ms (median)", absolute(find("start → first reply, median (ms)"), 250, "ms")},
		{"Get p50 ≤ 1.25× go", relative(find("Get p50 (µs)"), "go", 1.25, true)},
		{"Get p99 ≤ 1.5× go", relative(find("Get p99 (µs)"), "go", 1.5, true)},
	}
	for _, callers := range c.callers {
		if callers == 1 {
			continue
		}
		m := find(fmt.Sprintf("Gets/s, %d callers", callers))
		out = append(out,
			target{fmt.Sprintf("Gets/s with %d callers ≥ 0.8× go", callers), relative(m, "go", 0.8, false)},
			target{fmt.Sprintf("Gets/s with %d callers ≥ 2.5× node", callers), relative(m, "node", 2.5, false)})
	}
	out = append(out,
		target{"RSS after the KV run ≤ 100 MB", absolute(find("RSS after the KV run (MB)"), 100, "MB")},
		target{"Transform/s ≥ 0.5× node", relative(find(transformLabel(c)), "node", 0.5, false)},
		// Issue #15's.
		target{"AutoMTLS adds ≤ 100 ms to the start (#15)", absolute(find(mtlsAddsLabel), 100, "ms")},
		target{fmt.Sprintf("RSS of %d instances ≤ 1.0× node (#15)", c.instances), relative(find(instancesRSSLabel(c)), "node", 1.0, true)},
		target{fmt.Sprintf("RSS of %d instances after load ≤ 1.0× node (#15)", c.instances),
			relative(find(instancesLoadedLabel(c, c.instances)), "node", 1.0, true)},
	)
	if len(c.streams) > 0 {
		// Issue #12's goal for the streaming runtime, on the fewest concurrent streams measured.
		fewest := c.streams[0]
		for _, n := range c.streams {
			if n < fewest {
				fewest = n
			}
		}
		out = append(out, target{fmt.Sprintf("%s ≥ 1.0× node (#12)", streamLabel(fewest)),
			relative(find(streamLabel(fewest)), "node", 1.0, false)})
	}
	return out
}

// targetTable has a row per target and a column per bridge peer.
func targetTable(c config, results []*result) [][]string {
	peers := map[string]*result{}
	header := []string{"target (issue #5, unless marked)"}
	var bridges []*result
	for _, r := range results {
		if r.peer.kind == "bridge" {
			bridges = append(bridges, r)
			header = append(header, r.peer.name)
		} else if r.peer.kind != kindBaseline && peers[r.peer.kind] == nil {
			peers[r.peer.kind] = r
		}
	}
	rows := [][]string{header}
	for _, t := range targets(c) {
		row := []string{t.label}
		for _, b := range bridges {
			met, shown, ok := t.check(b, peers)
			switch {
			case !ok:
				row = append(row, "n/a")
			case met:
				row = append(row, "PASS "+shown)
			default:
				row = append(row, "MISS "+shown)
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// markdown renders rows (the first is the header) as a padded markdown
// table, readable as it is in a terminal.
func markdown(rows [][]string) string {
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, cell := range row {
			if n := len([]rune(cell)); n > widths[i] {
				widths[i] = n
			}
		}
	}
	var b strings.Builder
	line := func(row []string) {
		b.WriteString("|")
		for i, cell := range row {
			pad := strings.Repeat(" ", widths[i]-len([]rune(cell)))
			if i == 0 {
				b.WriteString(" " + cell + pad + " |")
			} else {
				b.WriteString(" " + pad + cell + " |")
			}
		}
		b.WriteString("\n")
	}
	line(rows[0])
	b.WriteString("|")
	for i, w := range widths {
		if i == 0 {
			b.WriteString(" " + strings.Repeat("-", w) + " |")
		} else {
			b.WriteString(" " + strings.Repeat("-", w-1) + ": |")
		}
	}
	b.WriteString("\n")
	for _, row := range rows[1:] {
		line(row)
	}
	return b.String()
}
