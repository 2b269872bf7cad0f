#!/usr/bin/env bash
# Dev mode's reload benchmark (see bench/README.md): the bridge in dev mode under a go-plugin host
# session, 4 callers calling without pause, 50 saves of the script; prints the figures and PASS/MISS.
#   bench/reload.sh [reloadbench flags: -reloads N -callers N -pause D -target D -v]
# Needs what tools/setup.sh installs; builds bridge/target/bridge.jar when it is missing.
# Exit code: 0 target met, 1 missed, 2 set-up error.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [ ! -f bridge/target/bridge.jar ]; then
  echo "bench: building bridge/target/bridge.jar" >&2
  export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
  export PATH="$JAVA_HOME/bin:$PATH"
  export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
  mvn -q -B -o -DskipTests package
fi

# shellcheck source=../host/env.sh
. host/env.sh
mkdir -p host/bin
go build -o host/bin/reloadbench "$HOST_IMPORT/cmd/reloadbench"
exec host/bin/reloadbench -root "$ROOT" "$@"
