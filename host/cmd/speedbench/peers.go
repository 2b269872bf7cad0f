package main

import (
	"fmt"
	"path/filepath"
	"strings"
)

// peer is one plugin implementation under test. The KV measurements run
// kvCmd, the Transform measurements benchCmd; both are command lines run
// with sh -c, as the kv host runs KV_PLUGIN.
type peer struct {
	name     string // column header
	kind     string // "bridge", "go" or "node": what the targets compare
	kvCmd    string
	benchCmd string
}

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
				kvCmd:    "exec env GOPLUGIN_KV_LOG_LEVEL=info " + shellQuote(filepath.Join(bin, "goplugin-kv")),
				benchCmd: "exec " + shellQuote(filepath.Join(bin, "goplugin-bench")),
			})
		case "node":
			cmd := "exec " + shellQuote(c.node) + " " +
				shellQuote(filepath.Join(c.root, "bench", "speed", "peers", "node", "plugin.js"))
			out = append(out, peer{name: "node", kind: "node", kvCmd: cmd, benchCmd: cmd})
		}
	}
	return out
}

// bridgePeer runs bridge/bin/bridgejs on scripts/kv.js and on the Transform
// script, with javaOpts as BRIDGE_JAVA_OPTS and args before the script.
func bridgePeer(c config, name, javaOpts, args, env string) peer {
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
	launcher += shellQuote(filepath.Join(c.root, "bridge", "bin", "bridgejs"))
	if args != "" {
		launcher += " " + args
	}
	return peer{
		name:     name,
		kind:     "bridge",
		kvCmd:    launcher + " " + shellQuote(filepath.Join(c.root, "scripts", "kv.js")),
		benchCmd: launcher + " " + shellQuote(filepath.Join(c.root, "bench", "speed", "peers", "bridge", "transform.js")),
	}
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
