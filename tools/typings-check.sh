#!/usr/bin/env bash
# Checks the TypeScript declarations `bridgejs types` writes, with tsc (tools/typescript, pinned):
#   1. scripts/kv.d.ts (and any other scripts/NAME.d.ts beside a NAME.js) is what `bridgejs types` writes now,
#      and the scripts type-check against them (tsc -p scripts; examples/yaml-kv, on kv.d.ts, too);
#   2. a plugin that `bridgejs init` writes type-checks as it is, with flat functions and with service objects
#      (typings/shop.proto: two services sharing a method name; typings/shapes.proto: every call shape, in objects
#      and, serving one service, as flat functions);
#   3. the declarations of the test protos (mapping/everything.proto, mapping/legacy.proto,
#      typings/shadowing.proto, typings/shop.proto, typings/shapes.proto) accept what bridge/src/test/typings/checks.ts returns and receives, and
#      reject its `@ts-expect-error` lines (tsc fails on a directive with no error under it).
# Needs bridge/target/bridge.jar and tools/typescript/node_modules (tools/setup.sh installs it).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BRIDGE=bridge/bin/bridgejs
TSC=tools/typescript/node_modules/.bin/tsc
RES=bridge/src/test/resources
[ -x "$TSC" ] || { echo "FAILED: $TSC is missing: run tools/setup.sh"; exit 1; }
[ -f bridge/target/bridge.jar ] || { echo "FAILED: bridge/target/bridge.jar is missing: build it first"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# every committed declaration file of an example script (scripts/kv.d.ts, and any other beside its script)
for declarations in scripts/*.d.ts; do
  script="${declarations%.d.ts}.js"
  [ -f "$script" ] || continue
  echo "typings: $declarations is up to date"
  "$BRIDGE" types "$script" -o "$work/$(basename "$declarations")"
  if ! diff -u "$declarations" "$work/$(basename "$declarations")"; then
    echo "FAILED: $declarations differs from what \`bridgejs types $script\` writes (above); regenerate and commit it"
    exit 1
  fi
done

echo "typings: tsc -p scripts ($("$TSC" --version))"
"$TSC" -p scripts
echo "typings: tsc -p examples/yaml-kv (scripts/kv.d.ts, npm packages' own declarations, @types/ms)"
"$TSC" -p examples/yaml-kv

echo "typings: a plugin from \`bridgejs init\` type-checks"
"$BRIDGE" init "$work/init" --proto "$RES/mapping/everything.proto" --name mapping \
  --magic-cookie-key=K --magic-cookie-value=V
"$TSC" -p "$work/init"
"$BRIDGE" init "$work/init-shop" --proto "$RES/typings/shop.proto" --name shop \
  --magic-cookie-key=K --magic-cookie-value=V
"$TSC" -p "$work/init-shop"
# every call shape, in service objects (two services share Get) and as flat functions (one service)
"$BRIDGE" init "$work/init-shapes" --proto "$RES/typings/shapes.proto" --name shapes \
  --magic-cookie-key=K --magic-cookie-value=V
"$TSC" -p "$work/init-shapes"
"$BRIDGE" init "$work/init-shapes-flat" --proto "$RES/typings/shapes.proto" --name shapes \
  --service shapes.v1.Inventory --magic-cookie-key=K --magic-cookie-value=V
"$TSC" -p "$work/init-shapes-flat"

echo "typings: the test protos' declarations accept and reject what checks.ts expects"
cp bridge/src/test/typings/checks.ts bridge/src/test/typings/tsconfig.json "$work/"
"$BRIDGE" types "$RES/mapping/everything.proto" -o "$work/everything.d.ts"
"$BRIDGE" types "$RES/mapping/legacy.proto" -o "$work/legacy.d.ts"
"$BRIDGE" types -I "$RES/typings" "$RES/typings/shadowing.proto" -o "$work/shadowing.d.ts"
"$BRIDGE" types "$RES/typings/shop.proto" -o "$work/shop.d.ts"
"$BRIDGE" types "$RES/typings/shapes.proto" -o "$work/shapes.d.ts"
"$TSC" -p "$work"

echo "typings: ok"
