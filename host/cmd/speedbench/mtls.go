package main

import (
	"time"
)

// The AutoMTLS start: the host turns on go-plugin's AutoMTLS
// (ClientConfig.AutoMTLS, as Terraform and Vault always do): it passes its
// certificate in PLUGIN_CLIENT_CERT, the plugin answers with a fresh one of
// its own in the handshake, and every connection is TLS with both
// certificates checked. Each such start is timed right after the same
// peer's plain start (SPEEDBENCH_PHASES "mtls"), so the two take turns.

// mtlsMethod marks the AutoMTLS rows of a peer that cannot serve under
// AutoMTLS ("—", with the reason under the table).
const mtlsMethod = "AutoMTLS"

// noAutoMTLS says why a peer kind is not started with AutoMTLS.
var noAutoMTLS = map[string]string{
	"node": "the Node peer (@grpc/grpc-js) does not implement go-plugin's AutoMTLS: it would have to make a certificate " +
		"at each start, which Node cannot without a library",
}

// mtlsFigures are one peer's AutoMTLS starts.
type mtlsFigures struct {
	firstReply []time.Duration // start → first Get answered, with AutoMTLS
	cpu        []time.Duration // CPU time used by then
	failed     bool
}

// mtlsStart times one AutoMTLS start of res's peer in dir, kept unless it is
// the unmeasured first round.
func (b *bench) mtlsStart(res *result, dir string, keep bool) {
	if res.mtls.failed {
		return
	}
	if why, ok := noAutoMTLS[res.peer.kind]; ok {
		res.skip(mtlsMethod, why)
		return
	}
	_, reply, cpu, err := b.startOnce(res.peer, dir, true)
	if err != nil {
		res.fail("start with AutoMTLS", err)
		res.mtls.failed = true
		return
	}
	if keep {
		res.mtls.firstReply = append(res.mtls.firstReply, reply)
		res.mtls.cpu = append(res.mtls.cpu, cpu)
	}
}

// mtlsMetrics are the AutoMTLS rows: the start and its CPU time, and what
// AutoMTLS adds to the plain start's median (issue #15: at most 100 ms).
func mtlsMetrics(withMedian func(func(*result) []time.Duration, func(time.Duration) float64) func(*result) (float64, bool)) []metric {
	reply := withMedian(func(r *result) []time.Duration { return r.mtls.firstReply }, ms)
	plain := withMedian(func(r *result) []time.Duration { return r.firstReply }, ms)
	return []metric{
		{label: mtlsReplyLabel, value: reply, fmt: fixed(1), method: mtlsMethod},
		{label: "CPU time to first reply with AutoMTLS, median (ms)",
			value: withMedian(func(r *result) []time.Duration { return r.mtls.cpu }, ms), fmt: ticks, method: mtlsMethod},
		{label: mtlsAddsLabel, value: func(r *result) (float64, bool) {
			with, ok1 := reply(r)
			without, ok2 := plain(r)
			return with - without, ok1 && ok2
		}, fmt: fixed(1), method: mtlsMethod, noRatio: true},
	}
}

const (
	mtlsReplyLabel = "start → first reply with AutoMTLS, median (ms)"
	mtlsAddsLabel  = "AutoMTLS adds to the start, difference of medians (ms)"
)
