package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"

	"bridge/host/kvrpc"
	"bridge/host/logsink"
)

// session is the bridge in dev mode, started by go-plugin's client as a
// host starts its plugin.
type session struct {
	client *plugin.Client
	kv     *kvrpc.Client
	log    *logsink.Buffer // the host's log, with the plugin's lines go-plugin relays
	script string          // the script the test rewrites
}

// startSession writes the plugin (script and manifest) into dir and starts
// it with BRIDGE_DEV=1 in its environment: a host builds the plugin's
// command line, and passes its own environment on.
func startSession(c config, dir string) (*session, error) {
	launcher := filepath.Join(c.root, "bridge", "bin", "bridgejs")
	for _, f := range []string{launcher, filepath.Join(c.root, "bridge", "target", "bridge.jar")} {
		if !exists(f) {
			return nil, fmt.Errorf("%s is missing: build the bridge (mvn -B -DskipTests package)", f)
		}
	}
	manifest, err := json.MarshalIndent(map[string]interface{}{
		"proto":    []string{filepath.Join(c.root, "proto", "kv.proto")},
		"services": []string{"proto.KV"},
		"handshake": map[string]interface{}{
			"magicCookieKey":      kvrpc.Handshake.MagicCookieKey,
			"magicCookieValue":    kvrpc.Handshake.MagicCookieValue,
			"appProtocolVersions": []int{int(kvrpc.Handshake.ProtocolVersion)},
		},
	}, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "kv.plugin.json"), manifest, 0o644); err != nil {
		return nil, err
	}
	s := &session{log: &logsink.Buffer{}, script: filepath.Join(dir, "kv.js")}
	if err := os.WriteFile(s.script, []byte(scriptVersion(0)), 0o644); err != nil {
		return nil, err
	}
	if err := os.Setenv("BRIDGE_DEV", "1"); err != nil {
		return nil, err
	}
	cmd := exec.Command("sh", "-c", "exec "+shellQuote(launcher)+" "+shellQuote(s.script))
	cmd.Dir = dir
	s.client = plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  kvrpc.Handshake,
		Plugins:          kvrpc.PluginMap(nil),
		Cmd:              cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		Logger:           hclog.New(&hclog.LoggerOptions{Name: "host", Level: hclog.Info, Output: s.log}),
		StartTimeout:     c.startMax,
	})
	rpc, err := s.client.Client()
	if err != nil {
		s.client.Kill()
		return s, fmt.Errorf("starting the bridge: %v", err)
	}
	raw, err := rpc.Dispense(kvrpc.PluginName)
	if err != nil {
		s.client.Kill()
		return s, fmt.Errorf("dispensing %s: %v", kvrpc.PluginName, err)
	}
	s.kv = raw.(*kvrpc.Client)
	if err := s.waitLog("dev mode: watching", c.startMax); err != nil {
		s.client.Kill()
		return s, err
	}
	return s, nil
}

// waitLog waits until the host log has a line containing text.
func (s *session) waitLog(text string, guard time.Duration) error {
	deadline := time.Now().Add(guard)
	for !strings.Contains(s.log.String(), text) {
		if time.Now().After(deadline) {
			return fmt.Errorf("no %q in the host log after %v", text, guard)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return nil
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}
