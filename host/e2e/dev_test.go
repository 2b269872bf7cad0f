package e2e

// Dev mode through a real host session: the host starts the bridge with
// BRIDGE_DEV=1 in the plugin's environment (a host builds the command line,
// so the environment is how dev mode gets in) and keeps calling while the
// test edits the plugin's files. Every wait is a poll with a generous hang
// guard; nothing asserts how fast a reload is (bench/reload.sh measures that).

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// reloadGuard bounds every wait for a reload or a log line: a hang guard for
// a slow machine, not a speed requirement.
const reloadGuard = time.Minute

// versionedScript is the suite's KV script whose Get answers marker for the
// key "version", so that a test can tell which version served a call.
func versionedScript(marker string) string {
	return versionedScriptAnswering(jsString(marker))
}

// versionedScriptAnswering is versionedScript answering a JavaScript expression.
func versionedScriptAnswering(expr string) string {
	return kvScript("", `
  if (key === "version") {
    return { value: `+expr+` };
  }
  return { value: fs.readFileSync(fileFor(key)) };`)
}

func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

// startDev starts script through the host with BRIDGE_DEV=1 in the plugin's
// environment, options (bridgejs's) before the script, and waits until its
// watcher runs.
func startDev(t *testing.T, script string, options ...string) *plug {
	t.Helper()
	p := startPlugin(t, startOpts{
		cmdline: bridgeCmdline(t, nil, append(append([]string{}, options...), script)...),
		env:     []string{"BRIDGE_DEV=1"},
	})
	p.waitLog(t, "[INFO]", "dev mode: watching")
	return p
}

// logLines are the host log's lines, each with the continuation lines of a
// multi-line message (the offending line of a syntax error) joined to it.
func (p *plug) logLines() []string {
	var out []string
	for _, line := range strings.Split(p.Logs.String(), "\n") {
		if len(out) > 0 && !strings.HasPrefix(line, "20") && line != "" {
			out[len(out)-1] += "\n" + line
			continue
		}
		out = append(out, line)
	}
	return out
}

// logLinesWith are the log lines holding every one of texts.
func (p *plug) logLinesWith(texts ...string) []string {
	var out []string
	for _, line := range p.logLines() {
		if containsAll(line, texts) {
			out = append(out, line)
		}
	}
	return out
}

// waitLog waits until n log lines hold every one of texts, and returns them.
func (p *plug) waitLogCount(t *testing.T, n int, texts ...string) []string {
	t.Helper()
	deadline := time.Now().Add(reloadGuard)
	for {
		lines := p.logLinesWith(texts...)
		if len(lines) >= n {
			return lines
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v the host log has %d lines with all of %q, want %d", reloadGuard, len(lines), texts, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (p *plug) waitLog(t *testing.T, texts ...string) string {
	t.Helper()
	return p.waitLogCount(t, 1, texts...)[0]
}

// version asks the plugin which version serves; a failed call fails the
// test, since a reload must never fail a call.
func (p *plug) version(t *testing.T) string {
	t.Helper()
	v, err := p.get("version")
	if err != nil {
		t.Errorf("get version: %v (no call may fail while the plugin reloads)", err)
		return ""
	}
	return string(v)
}

// waitVersion calls until the plugin answers want.
func (p *plug) waitVersion(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(reloadGuard)
	last := ""
	for {
		got := p.version(t)
		if got == want {
			return
		}
		if got != "" {
			last = got
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v the plugin still answers %q, want %q", reloadGuard, last, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Ways an editor saves a file.

func saveInPlace(t *testing.T, path, content string) {
	t.Helper()
	writeFile(t, path, content)
}

// saveByRename writes a temporary file beside path and renames it over path.
func saveByRename(t *testing.T, path, content string) {
	t.Helper()
	temporary := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	writeFile(t, temporary, content)
	if err := os.Rename(temporary, path); err != nil {
		t.Fatal(err)
	}
}

// saveTruncateThenWrite empties the file, leaves it empty long enough for the
// watcher to notice, then writes the content.
func saveTruncateThenWrite(t *testing.T, path, content string) {
	t.Helper()
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(content); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestDevModeServesAnEditOnTheNextCalls: an edit of the script is served by
// the next calls, the reload is one INFO line naming the changed file, and
// data stored by the old version is still there for the new one.
func TestDevModeServesAnEditOnTheNextCalls(t *testing.T) {
	bridgeLauncher(t)
	script := kvPlugin(t, "kv", versionedScript("v1"))
	p := startDev(t, script)
	if got := p.version(t); got != "v1" {
		t.Fatalf("before any edit: got %q, want v1", got)
	}
	p.mustPut("kept", []byte("across reloads"))

	saveInPlace(t, script, versionedScript("v2"))
	p.waitVersion(t, "v2")
	line := p.waitLog(t, "reloaded kv.js in ")
	if !strings.Contains(line, "[INFO]") || !strings.Contains(line, "(changed: kv.js)") {
		t.Errorf("reload line: got %q, want an INFO line with (changed: kv.js)", line)
	}
	p.checkStored("kept", []byte("across reloads"), p.mustGet("kept"))
	if n := len(p.logLinesWith("reloaded kv.js")); n != 1 {
		t.Errorf("one edit logged %d reload lines, want 1:\n%s", n, strings.Join(p.logLinesWith("reloaded"), "\n"))
	}
}

// TestDevModeBrokenEditKeepsTheOldVersion: a syntax error is an ERROR in the
// host log with file:line:col and the offending line, and the old version
// answers until the script is fixed.
func TestDevModeBrokenEditKeepsTheOldVersion(t *testing.T) {
	bridgeLauncher(t)
	script := kvPlugin(t, "kv", versionedScript("v1"))
	p := startDev(t, script)
	p.waitVersion(t, "v1")

	broken := strings.Replace(versionedScript("broken"), "return { value: fs.readFileSync(fileFor(key)) };",
		"return { value: fs.readFileSync(fileFor(key)) ;", 1)
	brokenLine := 1 + strings.Count(broken[:strings.Index(broken, "fileFor(key)) ;")], "\n")
	saveInPlace(t, script, broken)

	line := p.waitLog(t, "reload after a change of kv.js failed")
	if !strings.Contains(line, "[ERROR]") {
		t.Errorf("failed reload: got %q, want an ERROR line", line)
	}
	where := regexp.MustCompile(regexp.QuoteMeta(script) + `:` + strconv.Itoa(brokenLine) + `:\d+`)
	if !where.MatchString(line) {
		t.Errorf("failed reload: %q does not name %s:%d:<col>", line, script, brokenLine)
	}
	if !strings.Contains(line, "fs.readFileSync(fileFor(key)) ;") {
		t.Errorf("failed reload: %q does not show the offending line", line)
	}
	if !strings.Contains(line, "the previous version keeps serving") {
		t.Errorf("failed reload: %q does not say the old version serves on", line)
	}
	for i := 0; i < 5; i++ {
		if got := p.version(t); got != "v1" {
			t.Fatalf("call %d after the broken edit: got %q, want the old version v1", i, got)
		}
	}
	p.mustPut("still", []byte("served"))
	p.checkStored("still", []byte("served"), p.mustGet("still"))

	saveInPlace(t, script, versionedScript("fixed"))
	p.waitVersion(t, "fixed")
}

// TestDevModeSaveStyles: save-by-rename, truncate-then-write and several
// quick saves in a row each end with the last content serving, and the quick
// saves never leave an intermediate version serving at the end.
func TestDevModeSaveStyles(t *testing.T) {
	bridgeLauncher(t)
	script := kvPlugin(t, "kv", versionedScript("v1"))
	p := startDev(t, script)
	p.waitVersion(t, "v1")

	saveByRename(t, script, versionedScript("renamed"))
	p.waitVersion(t, "renamed")

	saveTruncateThenWrite(t, script, versionedScript("rewritten"))
	p.waitVersion(t, "rewritten")

	for i := 1; i <= 5; i++ {
		saveInPlace(t, script, versionedScript("quick-"+strconv.Itoa(i)))
	}
	p.waitVersion(t, "quick-5")
	// Later reloads may still be under way; they can only bring quick-5 again.
	if errors := p.logLinesWith("[ERROR]"); len(errors) > 0 {
		t.Errorf("the saves logged errors:\n%s", strings.Join(errors, "\n"))
	}
	for i := 0; i < 5; i++ {
		if got := p.version(t); got != "quick-5" {
			t.Fatalf("after the quick saves settled: got %q, want quick-5", got)
		}
	}
}

// TestDevModeReloadsAnImportedModule: the script's imports are watched too.
func TestDevModeReloadsAnImportedModule(t *testing.T) {
	bridgeLauncher(t)
	script := kvPlugin(t, "kv", `import { marker } from "./marker.mjs";
`+versionedScriptAnswering("marker"))
	module := writeFile(t, filepath.Join(filepath.Dir(script), "marker.mjs"), `export const marker = "module-v1";`+"\n")
	p := startDev(t, script)
	p.waitVersion(t, "module-v1")

	saveInPlace(t, module, `export const marker = "module-v2";`+"\n")
	p.waitVersion(t, "module-v2")
	p.waitLog(t, "reloaded kv.js in ", "(changed: marker.mjs)")
}

// TestDevModeServesAnEditMadeWhileStarting: an edit saved while the first
// version is still loading (after the bridge read the script, before it
// watches it) is served too. The script's top-level code waits for the test
// to make that edit, so the window is not left to chance.
func TestDevModeServesAnEditMadeWhileStarting(t *testing.T) {
	bridgeLauncher(t)
	script := kvPlugin(t, "kv", `fs.writeFileSync("loading", "");
while (!fs.existsSync("edited")) {}
`+versionedScript("as-started"))
	files := t.TempDir()
	edited := make(chan struct{})
	go func() {
		defer close(edited)
		deadline := time.Now().Add(reloadGuard)
		for !fileExists(filepath.Join(files, "loading")) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		// Errors surface as the test's wait for "edit-while-starting" timing out.
		_ = os.WriteFile(script, []byte(versionedScript("edit-while-starting")), 0o644)
		_ = os.WriteFile(filepath.Join(files, "edited"), nil, 0o644)
	}()
	p := startDev(t, script, "--files-dir", files)
	<-edited
	p.waitVersion(t, "edit-while-starting")
}

// TestWithoutDevModeAnEditChangesNothing: without BRIDGE_DEV or --dev no
// watcher runs and the script is never read again.
func TestWithoutDevModeAnEditChangesNothing(t *testing.T) {
	bridgeLauncher(t)
	t.Setenv("BRIDGE_DEV", "") // whatever the test's own environment says
	script := kvPlugin(t, "kv", versionedScript("v1"))
	p := startPlugin(t, startOpts{cmdline: bridgeCmdline(t, nil, script)})
	serving := p.waitLog(t, "[INFO]", "serving "+script)
	if strings.Contains(serving, "dev mode") {
		t.Errorf("serving line: %q, want no dev mode", serving)
	}
	p.waitVersion(t, "v1")

	saveInPlace(t, script, versionedScript("v2"))
	// Give a dev-mode plugin many times what it needs to reload; then v1 must still answer.
	for end := time.Now().Add(3 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if got := p.version(t); got != "v1" {
			t.Fatalf("without dev mode, after an edit: got %q, want v1", got)
		}
	}
	if lines := p.logLinesWith("dev mode"); len(lines) > 0 {
		t.Errorf("without dev mode the log mentions dev mode:\n%s", strings.Join(lines, "\n"))
	}
	if lines := p.logLinesWith("reload"); len(lines) > 0 {
		t.Errorf("without dev mode the log mentions a reload:\n%s", strings.Join(lines, "\n"))
	}
}
