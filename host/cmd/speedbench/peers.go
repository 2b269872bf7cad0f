package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// peer is one plugin implementation under test. The KV measurements run
// kvCmd, the Transform measurements benchCmd, the streaming ones streamCmd,
// the Fetch ones fetchCmd (none if empty); all are command lines run with
// sh -c, as the kv host runs KV_PLUGIN.
type peer struct {
	name      string // column header
	kind      string // "bridge", "go", "node" or "baseline": what the targets and ratios compare
	kvCmd     string
	benchCmd  string
	streamCmd string
	fetchCmd  string
}

// kindBaseline is another build of the bridge (SPEEDBENCH_BASELINE), compared
// with the bridge in a table of its own rather than in the ratio columns.
const kindBaseline = "baseline"

func basePeers(c config) []peer {
	var out []peer
	for _, name := range c.peers {
		switch name {
		case "bridge":
			out = append(out, bridgePeer(c, "bridge", "", "", ""))
		case "go":
			bin := filepath.Join(c.root, "host", "bin")
			out = append(out, peer{
				name: "go", kind: "go",
				// The reference plugin logs every call at debug unless told otherwise.
				kvCmd:     "exec env GOPLUGIN_KV_LOG_LEVEL=info " + shellQuote(filepath.Join(bin, "goplugin-kv")),
				benchCmd:  "exec " + shellQuote(filepath.Join(bin, "goplugin-bench")),
				streamCmd: "exec " + shellQuote(filepath.Join(bin, "goplugin-bench")),
				fetchCmd:  "exec " + shellQuote(filepath.Join(bin, "goplugin-bench")),
			})
		case "node":
			cmd := "exec " + shellQuote(c.node) + " " +
				shellQuote(filepath.Join(c.root, "bench", "speed", "peers", "node", "plugin.js"))
			out = append(out, peer{name: "node", kind: "node", kvCmd: cmd, benchCmd: cmd, streamCmd: cmd, fetchCmd: cmd})
		}
	}
	return out
}

// bridgePeer runs bridge/bin/bridgejs on scripts/kv.js, on the Transform
// script and on the streams script, with javaOpts as BRIDGE_JAVA_OPTS and
// args before the script.
func bridgePeer(c config, name, javaOpts, args, env string) peer {
	return launcherPeer(c, filepath.Join(c.root, "bridge", "bin", "bridgejs"), name, javaOpts, args, env)
}

func launcherPeer(c config, bridgejs, name, javaOpts, args, env string) peer {
	launcher := "exec "
	var assignments []string
	if javaOpts != "" {
		assignments = append(assignments, shellQuote("BRIDGE_JAVA_OPTS="+javaOpts))
	}
	for _, a := range strings.Fields(env) {
		assignments = append(assignments, shellQuote(a))
	}
	if len(assignments) > 0 {
		// env, not an assignment before exec: the host appends its own
		// environment after the command's, so only the command line wins.
		launcher = "exec env " + strings.Join(assignments, " ") + " "
	}
	launcher += shellQuote(bridgejs)
	if args != "" {
		launcher += " " + args
	}
	peers := filepath.Join(c.root, "bench", "speed", "peers", "bridge")
	return peer{
		name:      name,
		kind:      "bridge",
		kvCmd:     launcher + " " + shellQuote(filepath.Join(c.root, "scripts", "kv.js")),
		benchCmd:  launcher + " " + shellQuote(filepath.Join(peers, "transform.js")),
		streamCmd: launcher + " " + shellQuote(filepath.Join(peers, "streams.js")),
		fetchCmd:  launcher + " " + shellQuote(filepath.Join(peers, "fetch.js")),
	}
}

// baselinePeer is SPEEDBENCH_BASELINE, another build of the bridge (typically
// an older commit's, built in a scratch worktree) run on this checkout's
// scripts, so a change's effect shows in one run with both taking turns.
// SPEEDBENCH_BASELINE names its launcher (bridge/bin/bridgejs, which finds
// its jar in ../target), its jar (bridge/target/bridge.jar) or its checkout.
// It runs the unary measurements only (an older build may not serve streams)
// unless SPEEDBENCH_BASELINE_STREAMS=1. SPEEDBENCH_BASELINE_WARM=1 serves it
// through a warm runtime of its own, to compare with "bridge (warm)".
func baselinePeer(c config) (peer, bool, error) {
	if c.baseline == "" {
		return peer{}, false, nil
	}
	path, err := filepath.Abs(c.baseline)
	if err != nil {
		return peer{}, false, err
	}
	launcher := path
	info, err := os.Stat(path)
	switch {
	case err != nil:
		return peer{}, false, fmt.Errorf("SPEEDBENCH_BASELINE: %v", err)
	case info.IsDir():
		launcher = filepath.Join(path, "bridge", "bin", "bridgejs")
	case strings.HasSuffix(path, ".jar"):
		launcher = filepath.Join(filepath.Dir(filepath.Dir(path)), "bin", "bridgejs")
	}
	if info, err := os.Stat(launcher); err != nil || info.IsDir() || info.Mode()&0o111 == 0 {
		return peer{}, false, fmt.Errorf("SPEEDBENCH_BASELINE=%s: no launcher at %s (want a checkout, its bridge/bin/bridgejs or its bridge/target/bridge.jar)", c.baseline, launcher)
	}
	name, env := "bridge (baseline)", ""
	if c.baselineWarm {
		// Compared with "bridge (warm)": both builds' warm runtimes, each in a directory of its own.
		name = "bridge (baseline, warm)"
		dir, err := newWarmDir(name)
		if err != nil {
			return peer{}, false, err
		}
		env = warmEnv(dir)
	}
	p := launcherPeer(c, launcher, name, "", "", env)
	p.kind = kindBaseline
	if !c.baselineStreams {
		p.streamCmd = ""
	}
	p.fetchCmd = "" // an older build may not have fetch
	return p, true, nil
}

// bridgeVariants parses SPEEDBENCH_BRIDGE_VARIANTS: variants separated by
// ";", each "label|java options|bridge options|environment" (the last three
// may be empty or left out), e.g.
//
//	bridge (2 instances)||--instances 2;bridge (G1)|-XX:+UseG1GC;bridge (JIT)|||BRIDGE_JIT=1
//
// Bridge options are shell words, inserted before the script; the
// environment is NAME=VALUE words set for the launcher.
func bridgeVariants(c config) ([]peer, error) {
	var out []peer
	for _, spec := range strings.Split(c.variants, ";") {
		if strings.TrimSpace(spec) == "" {
			continue
		}
		parts := strings.SplitN(spec, "|", 4)
		for len(parts) < 4 {
			parts = append(parts, "")
		}
		label := strings.TrimSpace(parts[0])
		if label == "" {
			return nil, fmt.Errorf("SPEEDBENCH_BRIDGE_VARIANTS: %q has no label (label|java options|bridge options)", spec)
		}
		out = append(out, bridgePeer(c, label, strings.TrimSpace(parts[1]), strings.TrimSpace(parts[2]), strings.TrimSpace(parts[3])))
	}
	return out, nil
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
