package main

import (
	"fmt"
	"io"
	"math"
	"runtime"
	"sort"
	"strings"
	"time"
)

// report prints the figures and whether the target is met.
func report(w io.Writer, c config, r *result) bool {
	fmt.Fprintf(w, "dev-mode reload benchmark: %d reloads, %d callers calling Get without pause, %v between reloads\n",
		len(r.samples), c.callers, c.pause)
	fmt.Fprintf(w, "the bridge in dev mode (BRIDGE_DEV=1) under a go-plugin %s host session; %s/%s, %d CPUs; %s\n\n",
		"v1.0.1", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), time.Now().Format("2006-01-02"))

	fmt.Fprintf(w, "save → first call answered by the new code (ms)\n")
	fmt.Fprintf(w, "%-20s %7s %8s %8s %8s %8s\n", "save style", "reloads", "median", "p90", "max", "min")
	var all []float64
	for _, style := range saveStyles {
		var ms []float64
		for _, s := range r.samples {
			if s.style == style.name {
				ms = append(ms, millis(s.latency))
			}
		}
		all = append(all, ms...)
		printRow(w, style.name, ms)
	}
	printRow(w, "all", all)

	fmt.Fprintf(w, "\ncalls made:   %d\n", r.calls)
	fmt.Fprintf(w, "failed calls: %d\n", r.failed)
	for _, f := range r.failures {
		fmt.Fprintf(w, "  %s\n", f)
	}
	if len(r.reloadMs) > 0 {
		fmt.Fprintf(w, "the bridge's own reload time (its INFO lines, load to swap): median %.0f ms, max %.0f ms over %d reloads\n",
			median(r.reloadMs), maxOf(r.reloadMs), len(r.reloadMs))
	}
	if len(r.errorLines) > 0 {
		fmt.Fprintf(w, "ERROR lines in the host log: %d\n  %s\n", len(r.errorLines), strings.Join(r.errorLines, "\n  "))
	}

	met := len(all) == c.reloads && median(all) < millis(c.target) && r.failed == 0
	verdict := "MISS"
	if met {
		verdict = "PASS"
	}
	fmt.Fprintf(w, "\ntarget: median < %.0f ms and 0 failed calls over %d reloads: %s (median %.0f ms, %d failed)\n",
		millis(c.target), c.reloads, verdict, median(all), r.failed)
	return met
}

func printRow(w io.Writer, name string, ms []float64) {
	if len(ms) == 0 {
		fmt.Fprintf(w, "%-20s %7d %8s %8s %8s %8s\n", name, 0, "-", "-", "-", "-")
		return
	}
	fmt.Fprintf(w, "%-20s %7d %8.0f %8.0f %8.0f %8.0f\n", name, len(ms), median(ms), percentile(ms, 90), maxOf(ms), minOf(ms))
}

func millis(d time.Duration) float64 {
	return float64(d) / float64(time.Millisecond)
}

func sorted(values []float64) []float64 {
	s := append([]float64(nil), values...)
	sort.Float64s(s)
	return s
}

// median is the middle value, or the mean of the two middle ones.
func median(values []float64) float64 {
	if len(values) == 0 {
		return math.NaN()
	}
	s := sorted(values)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// percentile is the nearest-rank percentile p (0 < p <= 100).
func percentile(values []float64, p float64) float64 {
	s := sorted(values)
	rank := int(math.Ceil(p / 100 * float64(len(s))))
	if rank < 1 {
		rank = 1
	}
	return s[rank-1]
}

func maxOf(values []float64) float64 {
	return sorted(values)[len(values)-1]
}

func minOf(values []float64) float64 {
	return sorted(values)[0]
}
