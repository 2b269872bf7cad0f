// @ts-check
// The KV plugin again (../../proto/kv.proto, served to the same host), with npm packages: every key lives in
// one YAML file, store.yaml in the files directory, parsed and written with `yaml` (an ES module package);
// a value is a YAML document, and a `ttl` in it ("2h", "90s") is read with `ms` (a CommonJS package).
// `npm ci` in this directory installs them (package-lock.json pins them).
/** @import { proto } from "../../scripts/kv" */
import YAML from "yaml";
import ms from "ms";

const STORE = "store.yaml";

/** @type {proto.KV["Put"]} */
export function Put({ key, value }) {
  const entry = YAML.parse(new TextDecoder().decode(value));
  if (entry && typeof entry === "object" && typeof entry.ttl === "string") {
    const ttlMs = ms(entry.ttl);
    if (ttlMs === undefined) {
      throw new RpcError("INVALID_ARGUMENT", `ttl "${entry.ttl}" is not a duration (try "90s", "2h", "1d")`);
    }
    entry.ttlMs = ttlMs;
  }
  const store = readStore();
  store[key] = entry;
  fs.writeFileSync(STORE, YAML.stringify(store));
  return {};
}

/** @type {proto.KV["Get"]} */
export function Get({ key }) {
  const store = readStore();
  if (!(key in store)) {
    throw new RpcError("NOT_FOUND", `no value stored for key "${key}" in ${STORE}`);
  }
  return { value: new TextEncoder().encode(YAML.stringify(store[key])) };
}

/** @returns {Record<string, unknown>} */
function readStore() {
  return fs.existsSync(STORE) ? YAML.parse(fs.readFileSync(STORE, "utf8")) ?? {} : {};
}
