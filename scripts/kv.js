// @ts-check
// The KV plugin of go-plugin's gRPC example, in JavaScript.
// Each exported function serves the method of the same name in ../proto/kv.proto (see kv.plugin.json).
// Requests arrive as plain objects: strings as strings, bytes as Uint8Array. The types are in kv.d.ts
// (`bridgejs types kv.js` writes it), which editors use to complete and check this file.
/** @import { proto } from "./kv" */

const SUFFIX = "\n\nWritten from plugin-js";

/** @type {proto.KV["Put"]} */
export function Put({ key, value }) {
  const suffix = new TextEncoder().encode(SUFFIX);
  const stored = new Uint8Array(value.length + suffix.length);
  stored.set(value, 0);
  stored.set(suffix, value.length);
  fs.writeFileSync(fileFor(key), stored);
  return {};
}

/** @type {proto.KV["Get"]} */
export function Get({ key }) {
  const file = fileFor(key);
  if (!fs.existsSync(file)) {
    throw new RpcError("NOT_FOUND", `no value stored for key "${key}"`);
  }
  return { value: fs.readFileSync(file) };
}

/** @param {string} key */
function fileFor(key) {
  return `kv_${key}`;
}
