#!/usr/bin/env bash
# Builds the Go host programs in GOPATH mode (no module proxy needed):
#   host/bin/kv           the KV host CLI
#   host/bin/goplugin-kv  the native Go KV plugin
#   host/bin/streams, host/bin/goplugin-streams  the streaming example's host and native Go plugin
#   host/bin/callback, host/bin/goplugin-callback  the broker example's host and native Go plugin
#   host/bin/reloadbench  dev mode's reload benchmark (run by bench/reload.sh)
#   host/bin/goplugin-bench, host/bin/speedbench  bench/speed's Go peer and driver
#   host/bin/yamuxpeer    hashicorp/yamux as a peer for the Java yamux (bridge's GoYamuxPeerTest)
#   host/bin/warmprobe    asks a warm runtime for its status (the warm e2e test of another user)
# and compiles (without running) the end-to-end suite.
# Needs Debian's Go packages (tools/setup.sh installs them).
# Source host/env.sh for the same GOPATH settings to run `go test` by hand.
set -euo pipefail
HOST_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=env.sh
. "$HOST_DIR/env.sh"
mkdir -p "$HOST_DIR/bin"
go build -o "$HOST_DIR/bin/kv" "$HOST_IMPORT/cmd/kv"
go build -o "$HOST_DIR/bin/goplugin-kv" "$HOST_IMPORT/cmd/goplugin-kv"
go build -o "$HOST_DIR/bin/streams" "$HOST_IMPORT/cmd/streams"
go build -o "$HOST_DIR/bin/goplugin-streams" "$HOST_IMPORT/cmd/goplugin-streams"
go build -o "$HOST_DIR/bin/callback" "$HOST_IMPORT/cmd/callback"
go build -o "$HOST_DIR/bin/goplugin-callback" "$HOST_IMPORT/cmd/goplugin-callback"
go build -o "$HOST_DIR/bin/reloadbench" "$HOST_IMPORT/cmd/reloadbench"
go build -o "$HOST_DIR/bin/goplugin-bench" "$HOST_IMPORT/cmd/goplugin-bench"
go build -o "$HOST_DIR/bin/speedbench" "$HOST_IMPORT/cmd/speedbench"
go build -o "$HOST_DIR/bin/yamuxpeer" "$HOST_IMPORT/cmd/yamuxpeer"
go build -o "$HOST_DIR/bin/warmprobe" "$HOST_IMPORT/cmd/warmprobe"
# "go vet/test bridge/host/..." would not follow the GOPATH symlink: list them.
go vet "${HOST_PACKAGES[@]}"
go test -count=1 -run '^$' "${HOST_PACKAGES[@]}" >/dev/null
echo "host: built kv, goplugin-kv, streams, goplugin-streams, callback, goplugin-callback, reloadbench, goplugin-bench, speedbench and yamuxpeer in $HOST_DIR/bin"
