package main

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// sample is one reload: how it was saved and how long until the new code
// answered.
type sample struct {
	style   string
	latency time.Duration
}

type result struct {
	samples    []sample
	calls      int
	failed     int
	failures   []string
	reloadMs   []float64 // what the bridge logged as each reload's own time
	errorLines []string  // ERROR lines of the host log
	log        string
}

var reloadedRE = regexp.MustCompile(`reloaded kv\.js in (\d+) ms`)

// measure runs the session: start, then each reload in turn while the
// callers call.
func measure(c config) (*result, error) {
	dir, err := os.MkdirTemp("", "reloadbench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	s, err := startSession(c, dir)
	if err != nil {
		if s != nil {
			return &result{log: s.log.String()}, err
		}
		return nil, err
	}
	defer s.client.Kill()

	calls := startCallers(s.kv, c.callers, c.guard)
	r := &result{}
	_, err = calls.waitFor(0, c.guard)
	for i := 1; i <= c.reloads && err == nil; i++ {
		time.Sleep(c.pause)
		style := saveStyles[(i-1)%len(saveStyles)]
		var saved, answered time.Time
		saved, err = style.save(s.script, scriptVersion(i))
		if err != nil {
			err = fmt.Errorf("%s save of version %d: %v", style.name, i, err)
			break
		}
		answered, err = calls.waitFor(i, c.guard)
		if err == nil {
			r.samples = append(r.samples, sample{style.name, answered.Sub(saved)})
		}
	}
	r.calls, r.failed, r.failures = calls.finish()
	// The last reload's INFO line may still be on its way through go-plugin's relay.
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if len(reloadedRE.FindAllString(s.log.String(), -1)) >= len(r.samples) {
			break
		}
	}
	r.log = s.log.String()
	for _, m := range reloadedRE.FindAllStringSubmatch(r.log, -1) {
		ms, _ := strconv.ParseFloat(m[1], 64)
		r.reloadMs = append(r.reloadMs, ms)
	}
	for _, line := range strings.Split(r.log, "\n") {
		if strings.Contains(line, "[ERROR]") {
			r.errorLines = append(r.errorLines, line)
		}
	}
	return r, err
}
