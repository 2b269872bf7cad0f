#!/usr/bin/env bash
# The project's build-and-run command: builds the bridge jar and the kv host,
# then, in a fresh temp working dir, stores a value through the bridge running
# scripts/kv.js and reads it back:
#
#   KV_PROTO=grpc KV_PLUGIN="exec bridge/bin/bridgejs scripts/kv.js" kv put hello world
#   KV_PROTO=grpc KV_PLUGIN="..." kv get hello
#
# Usage: tools/demo.sh [KEY [VALUE]]   (default: hello world)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
KEY="${1:-hello}"
VALUE="${2:-world}"

# shellcheck source=setup.sh
. tools/setup.sh
# Maven's bundled guava warns about sun.misc.Unsafe on JDK 25; silence it.
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
echo "==> building bridge/target/bridge.jar (mvn -B -q package -DskipTests)" >&2
mvn -B -q -ntp -Dstyle.color=never package -DskipTests 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >&2
echo "==> building host/bin/kv" >&2
bash host/build.sh >&2

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cp host/bin/kv "$WORK/kv"
cd "$WORK"
export KV_PROTO=grpc
KV_PLUGIN="exec $(printf '%q' "$ROOT/bridge/bin/bridgejs") $(printf '%q' "$ROOT/scripts/kv.js")"
export KV_PLUGIN
echo "==> in $WORK: KV_PROTO=grpc KV_PLUGIN=\"$KV_PLUGIN\" ./kv put $KEY $VALUE && ./kv get $KEY" >&2
./kv put "$KEY" "$VALUE" && ./kv get "$KEY"
