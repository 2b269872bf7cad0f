# shellcheck shell=bash
# Sourced (not run): GOPATH-mode settings for building and testing the host.
# The project-local GOPATH host/.gopath (git-ignored) has a symlink
# src/bridge/host -> host/, so host's packages import as "bridge/host/...";
# everything else comes from Debian's /usr/share/gocode.
HOST_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HOST_IMPORT=bridge/host
HOST_PACKAGES=("$HOST_IMPORT/kvrpc" "$HOST_IMPORT/logsink" "$HOST_IMPORT/cmd/kv" "$HOST_IMPORT/cmd/goplugin-kv" "$HOST_IMPORT/cmd/reloadbench" "$HOST_IMPORT/e2e"
  "$HOST_IMPORT/benchrpc" "$HOST_IMPORT/cmd/goplugin-bench" "$HOST_IMPORT/cmd/speedbench" "$HOST_IMPORT/cmd/yamuxpeer"
  "$HOST_IMPORT/streamsrpc" "$HOST_IMPORT/cmd/streams" "$HOST_IMPORT/cmd/goplugin-streams"
  "$HOST_IMPORT/callbackrpc" "$HOST_IMPORT/cmd/callback" "$HOST_IMPORT/cmd/goplugin-callback"
  "$HOST_IMPORT/notifyrpc"
  "$HOST_IMPORT/cmd/warmprobe")
export GO111MODULE=off
export GOPATH="$HOST_DIR/.gopath:/usr/share/gocode"
export GOFLAGS=
export GOPROXY=off
export GOCACHE="${GOCACHE:-$HOST_DIR/.gopath/cache}"
mkdir -p "$HOST_DIR/.gopath/src/bridge"
if [ "$(readlink "$HOST_DIR/.gopath/src/bridge/host" 2>/dev/null)" != "$HOST_DIR" ]; then
  rm -rf "$HOST_DIR/.gopath/src/bridge/host"
  ln -s "$HOST_DIR" "$HOST_DIR/.gopath/src/bridge/host"
fi
