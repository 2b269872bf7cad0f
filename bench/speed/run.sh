#!/usr/bin/env bash
# bench/speed: the bridge against a native Go plugin and a Node plugin, through a real go-plugin host.
# One command from a fresh clone: installs what is missing (tools/setup.sh; Node.js from Debian if
# absent), builds the bridge's jar and the Go programs, installs the Node peer's pinned npm packages,
# then runs host/bin/speedbench, which prints the table and writes bench/speed/results-latest.md.
#
# Environment: SPEEDBENCH_SKIP_BUILD=1 reuses bridge/target/bridge.jar (no Maven); the sizes and
# peers are SPEEDBENCH_* variables, listed in bench/speed/README.md. Arguments go to speedbench.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

step() { printf '==> %s\n' "$*" >&2; }

step "setup"
# shellcheck source=../../tools/setup.sh
. tools/setup.sh
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  step "installing Debian's nodejs and npm"
  SUDO=
  [ "$(id -u)" = 0 ] || SUDO="sudo -n"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm
fi

if [ "${SPEEDBENCH_SKIP_BUILD:-}" = 1 ]; then
  step "bridge: build skipped (SPEEDBENCH_SKIP_BUILD=1)"
  [ -f bridge/target/bridge.jar ] || { echo "bench/speed: bridge/target/bridge.jar is missing" >&2; exit 1; }
else
  step "bridge: mvn package (no tests)"
  mvn -B -q -ntp -Dstyle.color=never -DskipTests package >&2
fi

step "Go: host/build.sh"
bash host/build.sh >&2

step "Node peer: npm ci"
(cd "$HERE/peers/node" && npm ci --no-audit --no-fund --loglevel=error >&2)

step "running (a few minutes)"
exec "$ROOT/host/bin/speedbench" -root "$ROOT" -out "$HERE/results-latest.md" "$@"
