package e2e

// A script that exhausts its heap (a handler growing module state): the call
// fails with ResourceExhausted naming maxHeap within seconds, and the plugin
// serves the next call with a fresh module state (its instance was dropped and
// loaded again); `bridgejs call` exits at once with the status. Never a hang.

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// heapGuard bounds how long exhausting a small heap may take to be reported: a
// hang guard for a slow machine; the point is seconds, not the 100 s hang or
// 50 s of degraded service this replaced.
const heapGuard = 30 * time.Second

// growingScript's Get "grow" keeps growing module state until something stops
// it; Get "grown" says how many chunks the module state holds.
func growingScript() string {
	return kvScript("", `
  globalThis.chunks = globalThis.chunks || [];
  if (key === "grow") {
    for (;;) { globalThis.chunks.push(new Array(100000).fill(1.5)); }
  }
  if (key === "grown") {
    return { value: new TextEncoder().encode(String(globalThis.chunks.length)) };
  }
  return { value: fs.readFileSync(fileFor(key)) };`)
}

// growingPlugin writes the script with a manifest declaring maxHeap.
func growingPlugin(t *testing.T, maxHeap string) string {
	t.Helper()
	script := kvPlugin(t, "growing", growingScript())
	writeFile(t, filepath.Join(filepath.Dir(script), "growing.plugin.json"), manifestJSON(t, map[string]interface{}{
		"proto":    []string{kvProto(t)},
		"services": []string{"proto.KV"},
		"maxHeap":  maxHeap,
	}))
	return script
}

func TestHeapExhaustingHandlerFailsAndThePluginServesAgain(t *testing.T) {
	bridgeLauncher(t)
	skipInWarmMode(t, "maxHeap is not watched per instance: the runtime's heap is shared")
	script := growingPlugin(t, "64MiB")
	p := startPlugin(t, startOpts{cmdline: bridgeCmdline(t, nil, script)})

	ctx, cancel := context.WithTimeout(context.Background(), 2*heapGuard)
	started := time.Now()
	_, err := p.KV.Get(ctx, "grow")
	cancel()
	took := time.Since(started)
	st, _ := status.FromError(err)
	if st.Code() != codes.ResourceExhausted || !strings.Contains(st.Message(), `maxHeap (manifest field "maxHeap" or --max-heap) of 64MiB`) {
		t.Fatalf("get grow: got %v, want ResourceExhausted naming maxHeap and 64MiB", err)
	}
	if took > heapGuard {
		t.Errorf("get grow took %v, want seconds", took)
	}

	p.mustPut("after", []byte("still serving"))
	p.checkStored("after", []byte("still serving"), p.mustGet("after"))
	if got := string(p.mustGet("grown")); got != "0" {
		t.Errorf("module state after the drop: %s chunks, want 0 (a fresh instance)", got)
	}
	if errors := p.logLinesWith("[ERROR]", "dropped the instance of growing.js"); len(errors) != 1 {
		t.Errorf("want one error line about the dropped instance, got %d:\n%s", len(errors), strings.Join(errors, "\n"))
	}
}

// runCallCommand runs `bridgejs call` with the environment and arguments
// given, bounded by heapGuard; it returns the exit code, stdout and stderr.
func runCallCommand(t *testing.T, env []string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), heapGuard)
	defer cancel()
	cmd := exec.CommandContext(ctx, bridgeLauncher(t), append([]string{"call"}, args...)...)
	cmd.Env = append(cmd.Environ(), env...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("bridgejs call %v did not exit within %v\nstderr:\n%s", args, heapGuard, stderr.String())
	}
	code := 0
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, stdout.String(), stderr.String()
}

func TestCallCommandExitsWithResourceExhaustedOverMaxHeap(t *testing.T) {
	script := growingPlugin(t, "64MiB")
	code, stdout, stderr := runCallCommand(t, nil, script, "Get", `{"key": "grow"}`)
	if code != 1 || stdout != "" {
		t.Errorf("exit code %d, stdout %q; want 1 (the call failed) and nothing", code, stdout)
	}
	if !strings.Contains(stderr, `RESOURCE_EXHAUSTED: proto.KV/Get: the plugin's live Java heap reached `) ||
		!strings.Contains(stderr, `over its maxHeap (manifest field "maxHeap" or --max-heap) of 64MiB`) {
		t.Errorf("stderr does not say RESOURCE_EXHAUSTED over maxHeap 64MiB:\n%s", stderr)
	}
}

// With maxHeap "jvm" the JVM's own maximum heap is the limit: a real
// OutOfMemoryError, which drops the instance all the same.
func TestCallCommandExitsWithResourceExhaustedWhenTheJvmRunsOut(t *testing.T) {
	script := growingPlugin(t, "jvm")
	code, stdout, stderr := runCallCommand(t, []string{"BRIDGE_JAVA_OPTS=-Xmx128m"}, script, "Get", `{"key": "grow"}`)
	if code != 1 || stdout != "" {
		t.Errorf("exit code %d, stdout %q; want 1 and nothing", code, stdout)
	}
	if !strings.Contains(stderr, "RESOURCE_EXHAUSTED: proto.KV/Get: growing.js ran out of Java heap (Java heap space)") {
		t.Errorf("stderr does not say RESOURCE_EXHAUSTED, out of Java heap:\n%s", stderr)
	}
}
