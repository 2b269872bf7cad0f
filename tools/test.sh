#!/usr/bin/env bash
# The project's test command:
#   1. tools/setup.sh (Go packages, JDK 25, Maven, the pinned TypeScript compiler)
#   2. mvn -B verify at the repo root: Java unit tests + bridge/target/bridge.jar
#   3. tools/typings-check.sh: the generated TypeScript declarations, checked by tsc
#   4. host/build.sh: host/bin/kv, host/bin/goplugin-kv, host/bin/streams, host/bin/goplugin-streams,
#      host/bin/callback, host/bin/goplugin-callback, ...; then the Java yamux against hashicorp/yamux
#      (GoYamuxPeerTest, which needs host/bin/yamuxpeer)
#   5. the Go end-to-end suite (host/e2e), first against the native Go plugins
#      (checks the suite itself), then against the bridge running scripts/kv.js,
#      scripts/streams.js and scripts/callback.js, and scripts/notify.js against a loopback webhook; then
#      once more in warm mode (BRIDGE_WARM=1)
# Exits non-zero on any failure. Full Maven output: target/mvn-verify.log.
#
# Environment: BRIDGE_SKIP_MVN=1 skips step 2 (reuses an existing jar);
# BRIDGE_PLUGIN_CMD, BRIDGE_STREAMS_CMD and BRIDGE_CALLBACK_CMD override the bridge commands of step 5 (see
# host/e2e/harness_test.go for the suite's other variables).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

step() { printf '\n==> %s\n' "$*"; }

step "setup"
# shellcheck source=setup.sh
. tools/setup.sh
# Maven's bundled guava warns about sun.misc.Unsafe on JDK 25; silence it.
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
echo "JAVA_HOME=$JAVA_HOME; $(go version); $(mvn -B -v 2>/dev/null | head -n 1 | sed 's/\x1b\[[0-9;]*m//g')"

if [ "${BRIDGE_SKIP_MVN:-}" = 1 ]; then
  step "Java: mvn verify skipped (BRIDGE_SKIP_MVN=1)"
else
  step "Java: mvn -B verify (unit tests, jar)"
  mkdir -p target
  log=target/mvn-verify.log
  rc=0
  mvn -B -ntp -Dstyle.color=never verify >"$log" 2>&1 || rc=$?
  # Surefire's per-class and total lines, the reactor summary and errors.
  grep -E '^\[(INFO|WARNING|ERROR)\] (Tests run:|BUILD |Reactor Summary|bridge .*(SUCCESS|FAILURE|SKIPPED)|Total time)|^\[ERROR\]|^Tests run:' "$log" \
    | sed 's/\x1b\[[0-9;]*m//g' | grep -v '^\[ERROR\] *$' | head -n 200 || true
  if [ "$rc" -ne 0 ]; then
    echo "--- last 60 lines of $log ---"
    tail -n 60 "$log"
    echo "FAILED: mvn -B verify exited $rc (full log: $ROOT/$log)"
    exit "$rc"
  fi
fi

step "TypeScript: declarations from bridgejs types and bridgejs init, checked by tsc (tools/typings-check.sh)"
bash tools/typings-check.sh

JAR="$ROOT/bridge/target/bridge.jar"
LAUNCHER="$ROOT/bridge/bin/bridgejs"
SCRIPT="$ROOT/scripts/kv.js"
STREAMS_SCRIPT="$ROOT/scripts/streams.js"
CALLBACK_SCRIPT="$ROOT/scripts/callback.js"

step "Go: build host (host/build.sh)"
bash host/build.sh

if [ "${BRIDGE_SKIP_MVN:-}" != 1 ]; then
  # mvn verify ran before host/bin/yamuxpeer existed and skipped this class; a few seconds now that it does.
  step "Java yamux against hashicorp/yamux (GoYamuxPeerTest, host/bin/yamuxpeer)"
  mvn -B -ntp -q -Dstyle.color=never -pl bridge surefire:test -Dtest=GoYamuxPeerTest -Dsurefire.failIfNoSpecifiedTests=false
fi

# shellcheck source=../host/env.sh
. host/env.sh
export BRIDGE_REPO_ROOT="$ROOT"

step "Go e2e: suite against the native Go plugins (host/bin/goplugin-kv, goplugin-streams, goplugin-callback)"
BRIDGE_PLUGIN_CMD="exec $(printf '%q' "$ROOT/host/bin/goplugin-kv")" BRIDGE_EXPECT_WRITER=plugin-go \
  BRIDGE_STREAMS_CMD="exec $(printf '%q' "$ROOT/host/bin/goplugin-streams")" \
  BRIDGE_CALLBACK_CMD="exec $(printf '%q' "$ROOT/host/bin/goplugin-callback")" \
  go test -count=1 -timeout 10m "$HOST_IMPORT/e2e"

step "Go e2e: suite against the bridge (go test -v)"
if [ -z "${BRIDGE_PLUGIN_CMD:-}" ]; then
  missing=
  for f in "$JAR" "$LAUNCHER" "$SCRIPT" "$STREAMS_SCRIPT" "$CALLBACK_SCRIPT"; do
    [ -e "$f" ] || { echo "missing: $f"; missing=1; }
  done
  [ -z "$missing" ] || { echo "FAILED: the bridge is not built (see above)"; exit 1; }
  [ -x "$LAUNCHER" ] || { echo "FAILED: $LAUNCHER is not executable"; exit 1; }
  BRIDGE_PLUGIN_CMD="exec $(printf '%q' "$LAUNCHER") $(printf '%q' "$SCRIPT")"
  export BRIDGE_PLUGIN_CMD
fi
if [ -z "${BRIDGE_STREAMS_CMD:-}" ]; then
  BRIDGE_STREAMS_CMD="exec $(printf '%q' "$LAUNCHER") $(printf '%q' "$STREAMS_SCRIPT")"
  export BRIDGE_STREAMS_CMD
fi
if [ -z "${BRIDGE_CALLBACK_CMD:-}" ]; then
  BRIDGE_CALLBACK_CMD="exec $(printf '%q' "$LAUNCHER") $(printf '%q' "$CALLBACK_SCRIPT")"
  export BRIDGE_CALLBACK_CMD
fi
echo "BRIDGE_PLUGIN_CMD=$BRIDGE_PLUGIN_CMD"
echo "BRIDGE_STREAMS_CMD=$BRIDGE_STREAMS_CMD"
echo "BRIDGE_CALLBACK_CMD=$BRIDGE_CALLBACK_CMD"
go test -count=1 -v -timeout 30m "$HOST_IMPORT/e2e"

step "Go e2e: the suite again in warm mode (BRIDGE_WARM=1: every plugin served by the warm runtime)"
# Every plugin the suite starts inherits BRIDGE_WARM=1; tests of what a warm plugin has not of its own (a JVM, a
# heap) skip, saying why. The runtime this pass started is stopped after it, passed or not.
trap '"$LAUNCHER" warm stop >/dev/null 2>&1 || true' EXIT
BRIDGE_WARM=1 go test -count=1 -v -timeout 30m "$HOST_IMPORT/e2e"
