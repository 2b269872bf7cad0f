#!/usr/bin/env bash
# What reading the manifest's "warm" costs a cold launch (see bench/README.md): bin/bridgejs up to its exec of java
# (a stand-in that exits at once), BRIDGE_WARM unset (bridgejs-warm --wants-warm reads the manifest) against
# BRIDGE_WARM=0 (no check), and the check alone; taking turns, CPU and wall time per launch, medians of the turns.
#   bench/warm-check.sh [LAUNCHES-PER-TURN (200)] [TURNS (5)]
# Needs bridge/target/bridgejs-warm and bridge.jar (mvn -B package -DskipTests).
# Exit code: 0 the check costs under 2 ms of CPU, 1 more, 2 set-up error.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
n=${1:-200}
turns=${2:-5}
client=bridge/target/bridgejs-warm
if [ ! -x "$client" ] || [ ! -f bridge/target/bridge.jar ]; then
  echo "bench: $client or bridge/target/bridge.jar is missing; build them: mvn -B package -DskipTests" >&2
  exit 2
fi
fake=$(mktemp -d)
trap 'rm -rf "$fake"' EXIT
mkdir -p "$fake/bin"
ln -s /bin/true "$fake/bin/java"

# children_us: the CPU time of this shell's finished children so far, in microseconds. bash's times (m.sss s) runs
# here, not in a command substitution, whose subshell has children of its own.
children_us() {
  local user sys
  times >"$fake/times"
  read -r user sys < <(tail -n 1 "$fake/times")
  awk -v u="$user" -v s="$sys" 'function us(t, m) { m = t; sub(/m.*/, "", m); sub(/^[0-9]+m/, "", t); sub(/s$/, "", t);
    return int((m * 60 + t) * 1000000) } BEGIN { print us(u) + us(s) }'
}

# turn NAME COMMAND...: one turn of n runs; appends "cpu_us wall_us" per run to $fake/NAME.
turn() {
  local name=$1 cpu0 cpu1 t0 t1
  shift
  children_us >"$fake/cpu"
  cpu0=$(<"$fake/cpu")
  t0=$(date +%s%N)
  for ((i = 0; i < n; i++)); do
    "$@"
  done
  t1=$(date +%s%N)
  children_us >"$fake/cpu"
  cpu1=$(<"$fake/cpu")
  echo "$(( (cpu1 - cpu0) / n )) $(( (t1 - t0) / n / 1000 ))" >>"$fake/$name"
}

for ((r = 0; r < turns; r++)); do
  turn off env BRIDGE_WARM=0 BRIDGE_JAVA_HOME="$fake" bridge/bin/bridgejs scripts/kv.js
  turn on env -u BRIDGE_WARM BRIDGE_JAVA_HOME="$fake" bridge/bin/bridgejs scripts/kv.js
  turn alone "$client" --wants-warm scripts/kv.js || true
done

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ms() { awk -v us="$1" 'BEGIN { printf "%.2f ms", us / 1000 }'; }
printf '| bin/bridgejs to java (%d turns of %d, load %s) | CPU per launch | wall per launch |\n|---|--:|--:|\n' \
  "$turns" "$n" "$(cut -d' ' -f1 /proc/loadavg)"
for row in "off:BRIDGE_WARM=0 (no check)" "on:BRIDGE_WARM unset (the check runs)" "alone:the check alone"; do
  name=${row%%:*}
  printf '| %s | %s | %s |\n' "${row#*:}" "$(ms "$(cut -d' ' -f1 "$fake/$name" | median)")" \
    "$(ms "$(cut -d' ' -f2 "$fake/$name" | median)")"
done
added=$(( $(cut -d' ' -f1 "$fake/on" | median) - $(cut -d' ' -f1 "$fake/off" | median) ))
echo "the check adds $(ms "$added") of CPU to a cold launch"
if [ "$added" -lt 2000 ]; then
  echo PASS
else
  echo MISS
  exit 1
fi
