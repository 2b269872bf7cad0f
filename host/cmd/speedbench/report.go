package main

import (
	"fmt"
	"strings"
	"time"
)

// metric is one row of the table: how to read it from a result.
type metric struct {
	label string
	value func(*result) (float64, bool)
	fmt   func(float64) string
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
		{"start → handshake, median (ms)", withMedian(func(r *result) []time.Duration { return r.handshake }, ms), fixed(1)},
		{"start → first reply, median (ms)", withMedian(func(r *result) []time.Duration { return r.firstReply }, ms), fixed(1)},
		{"CPU time to first reply, median (ms)", withMedian(func(r *result) []time.Duration { return r.startCPU }, ms), ticks},
		{"Get p50 (µs)", withPercentile(func(r *result) []time.Duration { return r.getLat }, 50), fixed(0)},
		{"Get p99 (µs)", withPercentile(func(r *result) []time.Duration { return r.getLat }, 99), fixed(0)},
		{"Put p50 (µs)", withPercentile(func(r *result) []time.Duration { return r.putLat }, 50), fixed(0)},
		{"Put p99 (µs)", withPercentile(func(r *result) []time.Duration { return r.putLat }, 99), fixed(0)},
	}
	for _, callers := range c.callers {
		callers := callers
		out = append(out, metric{fmt.Sprintf("Gets/s, %d caller%s", callers, plural(callers)),
			positive(func(r *result) float64 { return r.throughput[callers] }), fixed(0)})
	}
	out = append(out,
		metric{"RSS after the KV run (MB)", positive(func(r *result) float64 { return mb(r.rssKV) }), fixed(1)},
		metric{transformLabel(c),
			positive(func(r *result) float64 { return r.cpuRate }), fixed(1)},
		metric{"RSS after the Transform run (MB)", positive(func(r *result) float64 { return mb(r.rssCPU) }), fixed(1)},
	)
	return out
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
func table(c config, results []*result) [][]string {
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
			if v, ok := m.value(r); ok {
				row = append(row, m.fmt(v))
			} else {
				row = append(row, "–")
			}
		}
		for _, p := range pairs {
			va, oka := m.value(p.a)
			vb, okb := m.value(p.b)
			if oka && okb && vb > 0 {
				row = append(row, ratio(va, vb))
			} else {
				row = append(row, "–")
			}
		}
		rows = append(rows, row)
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
	)
	return out
}

// targetTable has a row per target and a column per bridge peer.
func targetTable(c config, results []*result) [][]string {
	peers := map[string]*result{}
	header := []string{"target (issue #5)"}
	var bridges []*result
	for _, r := range results {
		if r.peer.kind == "bridge" {
			bridges = append(bridges, r)
			header = append(header, r.peer.name)
		} else if peers[r.peer.kind] == nil {
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
