#!/usr/bin/env bash
# Installs and selects the build tools the project needs; idempotent.
#
#   . tools/setup.sh     (sourced: exports JAVA_HOME and PATH into the caller)
#   bash tools/setup.sh  (run: just checks/installs)
#
# - Debian's Go toolchain and the Go packages the host and the e2e suite build
#   against in GOPATH mode (go-plugin 1.0.1, grpc 1.33, golang/protobuf 1.3,
#   x/net, hashicorp/yamux for the multiplexing tests, ...). go-plugin's Debian package does not pull in grpc, protobuf or
#   x/net, so they are listed explicitly. apt-get update/install only run when
#   something is missing.
# - JDK 25: JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 (the machine image's
#   Temurin, not a Debian package). Debian bookworm has no JDK 25 and no
#   temurin-25-jdk package in its archive (apt-cache policy shows no
#   candidate), so if no JDK 25 is found, setup fails with a clear message
#   unless some configured apt source offers temurin-25-jdk.
# - Maven (Debian's maven package) if mvn is missing.
# - Node.js and npm (Debian's nodejs and npm) if missing, and the TypeScript compiler pinned in
#   tools/typescript/package-lock.json, installed there by `npm ci` (from npm's cache when it can)
#   unless that lock file is what is installed already; likewise the npm packages examples/yaml-kv imports.

_bridge_setup() {
  local pkgs=(
    golang-go
    golang-github-hashicorp-go-plugin-dev
    golang-google-grpc-dev
    golang-github-golang-protobuf-1-3-dev
    golang-goprotobuf-dev
    golang-google-protobuf-dev
    golang-golang-x-net-dev
    golang-google-genproto-dev
    golang-github-hashicorp-yamux-dev
  )
  local jdk=/usr/lib/jvm/temurin-25-jdk-amd64
  local missing=() p status
  for p in "${pkgs[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$status" = installed ] || missing+=("$p")
  done
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  # The warm client (bridge/src/main/c) is built with the system C compiler.
  command -v cc >/dev/null 2>&1 || missing+=(gcc libc6-dev)

  local want_temurin=
  if ! _bridge_is_jdk25 "$jdk" && ! _bridge_is_jdk25 "${JAVA_HOME:-}"; then
    want_temurin=1
  fi

  if [ ${#missing[@]} -gt 0 ] || [ -n "$want_temurin" ]; then
    local SUDO=
    if [ "$(id -u)" != 0 ]; then
      if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
      else
        echo "setup: need root (or passwordless sudo) to install: ${missing[*]:-temurin-25-jdk}" >&2
        return 1
      fi
    fi
    local aptlog
    aptlog=$(mktemp)
    echo "setup: apt-get update" >&2
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$aptlog" 2>&1 || {
      cat "$aptlog" >&2; rm -f "$aptlog"; echo "setup: apt-get update failed" >&2; return 1; }
    if [ -n "$want_temurin" ]; then
      local cand
      cand=$(apt-cache policy temurin-25-jdk 2>/dev/null | awk '/Candidate:/ {print $2}')
      if [ -n "$cand" ] && [ "$cand" != "(none)" ]; then
        missing+=(temurin-25-jdk)
      fi
    fi
    if [ ${#missing[@]} -gt 0 ]; then
      echo "setup: apt-get install ${missing[*]}" >&2
      $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >"$aptlog" 2>&1 || {
        tail -n 40 "$aptlog" >&2; rm -f "$aptlog"; echo "setup: apt-get install failed" >&2; return 1; }
    fi
    rm -f "$aptlog"
  fi

  # Select JDK 25.
  if _bridge_is_jdk25 "$jdk"; then
    export JAVA_HOME="$jdk"
  elif _bridge_is_jdk25 "${JAVA_HOME:-}"; then
    export JAVA_HOME
  else
    echo "setup: JDK 25 not found: expected $jdk (Temurin 25) or JAVA_HOME pointing to a JDK 25." >&2
    echo "setup: Debian bookworm packages no JDK 25 and no apt source here offers temurin-25-jdk;" >&2
    echo "setup: install Temurin 25 under $jdk or set JAVA_HOME to a JDK 25." >&2
    return 1
  fi
  case ":$PATH:" in
    *":$JAVA_HOME/bin:"*) ;;
    *) export PATH="$JAVA_HOME/bin:$PATH" ;;
  esac

  command -v go >/dev/null 2>&1 || { echo "setup: go not found after install" >&2; return 1; }
  command -v mvn >/dev/null 2>&1 || { echo "setup: mvn not found after install" >&2; return 1; }
  _bridge_typescript || return 1
  # The npm packages the yaml-kv example imports (its tests run it through bridgejs call and the host).
  _bridge_npm_ci "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/examples/yaml-kv" || return 1
  return 0
}

# _bridge_typescript: tools/typescript/node_modules as its package-lock.json pins it.
_bridge_typescript() {
  local dir
  dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/typescript"
  _bridge_npm_ci "$dir" || return 1
  "$dir/node_modules/.bin/tsc" --version >/dev/null || { echo "setup: tsc does not run after npm ci" >&2; return 1; }
}

# _bridge_npm_ci DIR: DIR/node_modules as DIR/package-lock.json pins it. npm ci replaces node_modules
# whole, so a copy of the lock file inside it tells whether it is already installed.
_bridge_npm_ci() {
  local dir="$1"
  local stamp="$dir/node_modules/.installed-package-lock.json"
  if [ -d "$dir/node_modules" ] && cmp -s "$dir/package-lock.json" "$stamp"; then
    return 0
  fi
  echo "setup: npm ci in $dir" >&2
  (cd "$dir" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error) >&2 || {
    echo "setup: npm ci in $dir failed" >&2; return 1; }
  cp "$dir/package-lock.json" "$stamp"
}

# _bridge_is_jdk25 DIR: DIR holds a JDK (java and javac) of feature version 25.
_bridge_is_jdk25() {
  [ -n "$1" ] && [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  "$1/bin/java" -version 2>&1 | head -n 1 | grep -Eq 'version "25([."]|-)'
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  # Run as a script.
  set -euo pipefail
  _bridge_setup
  echo "setup: ok (JAVA_HOME=$JAVA_HOME; $(go version); $(mvn -B -v 2>/dev/null | head -n 1 | sed 's/\x1b\[[0-9;]*m//g');" \
    "TypeScript $("$(dirname "${BASH_SOURCE[0]}")/typescript/node_modules/.bin/tsc" --version))"
else
  # Sourced: report failure to the caller without exiting its shell.
  _bridge_setup || return 1
fi
