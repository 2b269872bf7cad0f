package e2e

// Arguments a host puts after the script (Velero passes its own server flags):
// never refused, handed to the script as bridge.args.

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestHostArgumentsAfterTheScriptReachIt(t *testing.T) {
	bridgeLauncher(t)
	script := kvPlugin(t, "kv", kvScript("", `
  return { value: new TextEncoder().encode(JSON.stringify(bridge.args)) };`))
	hostArgs := []string{"--log-level", "info", "--features=", "-x", "--dev"}
	for _, c := range []struct {
		name    string
		options []string // bridgejs's, before the script
	}{
		{"script-first", nil},
		{"after-options", []string{"--instances", "1"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := append(append(append([]string{}, c.options...), script), hostArgs...)
			p := startPlugin(t, startOpts{cmdline: bridgeCmdline(t, []string{"BRIDGE_LOG_LEVEL=debug"}, args...)})
			var got []string
			if err := json.Unmarshal(p.mustGet("any"), &got); err != nil {
				t.Fatalf("bridge.args as JSON: %v", err)
			}
			if strings.Join(got, "\x00") != strings.Join(hostArgs, "\x00") {
				t.Errorf("bridge.args: got %q, want %q", got, hostArgs)
			}
			log := p.Logs.String()
			if !strings.Contains(log, "[DEBUG]") || !strings.Contains(log, "passed to it as bridge.args") {
				t.Errorf("the host arguments are not logged at debug")
			}
			warned := false
			for _, line := range strings.Split(log, "\n") {
				if strings.Contains(line, "[WARN]") && containsAll(line, []string{"--dev", "options of bridgejs go before SCRIPT"}) {
					warned = true
				}
			}
			if !warned {
				t.Errorf("no warning that --dev after the script went to the script")
			}
		})
	}
}
