package main

import (
	"fmt"
	"net"
	"net/http"
)

// The Fetch phase: each peer's Bench.Fetch GETs a small JSON document from a
// local HTTP server the driver runs (loopback, keep-alive: net/http's
// default) and answers with its "name"; calls per second with
// cfg.fetchCallers callers, after a warm-up. The bridge's script is granted
// 127.0.0.1 by its manifest (bench/speed/peers/bridge/fetch.plugin.json).

// fetchName is the "name" of fetchDocument, what every answer must be.
const fetchName = "widget"

var fetchDocument = []byte(`{"id":7,"name":"widget","price":12.5,"tags":["blue","small"],` +
	`"stock":{"warehouse":"east","count":3},"updated":"2026-12-03T10:00:00Z"}`)

// startDocumentServer serves fetchDocument on 127.0.0.1 and returns its URL
// and how to stop it.
func startDocumentServer() (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("the Fetch phase's HTTP server: %w", err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("content-type", "application/json")
		_, _ = w.Write(fetchDocument)
	})}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String() + "/items/7", func() { _ = srv.Close() }, nil
}

// fetchSessions runs the Fetch phases on every peer that has a fetch
// command, with the document server up meanwhile.
func (b *bench) fetchSessions(results []*result, dirs []string) {
	url, stop, err := startDocumentServer()
	if err != nil {
		progress("%v", err)
		for _, r := range results {
			r.fail("Fetch", err)
		}
		return
	}
	defer stop()
	b.sessions(results, dirs, func(p peer) string { return p.fetchCmd }, b.fetchPhases(url))
}

// fetchPhases: warm-up, then Fetch calls per second, each answer checked.
func (b *bench) fetchPhases(url string) []phase {
	fetchCall := func(s *session) (func(_, _ int) error, error) {
		bc, err := s.r.bench()
		if err != nil {
			return nil, err
		}
		return func(_, _ int) error {
			name, err := bc.Fetch(b.ctx, url)
			if err == nil && name != fetchName {
				err = fmt.Errorf("Fetch answered %q, want %q", name, fetchName)
			}
			return err
		}, nil
	}
	return []phase{
		{"Fetch warm-up", "Fetch", func(s *session) error {
			call, err := fetchCall(s)
			if err == nil {
				_, err = b.rate(b.cfg.fetchCallers, b.cfg.fetchWarmup, call)
			}
			return err
		}},
		{"Fetch throughput", "Fetch", func(s *session) error {
			call, err := fetchCall(s)
			if err == nil {
				s.res.fetchRate, err = b.rate(b.cfg.fetchCallers, b.cfg.fetchSeconds, call)
			}
			return err
		}},
	}
}

func fetchLabel(c config) string {
	return fmt.Sprintf("Fetch calls/s, %d caller%s", c.fetchCallers, plural(c.fetchCallers))
}
