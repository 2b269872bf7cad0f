// bench.Bench/Transform for the bridge: parse the JSON document, transform it, serialise it again.
// transform is the same function as bench/speed/peers/node/transform.js and Go's benchrpc.Transform.

function transform(v) {
  if (typeof v === "string") return v.toUpperCase();
  if (typeof v === "number") return v * 2 + 1;
  if (typeof v === "boolean") return !v;
  if (v === null) return null;
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[v.length - 1 - i] = transform(v[i]);
    return out;
  }
  const keys = Object.keys(v).sort();
  const out = { _size: keys.length };
  for (const k of keys) out[k] = transform(v[k]);
  return out;
}

export function Transform({ json }) {
  let doc;
  try {
    doc = JSON.parse(json);
  } catch (err) {
    throw new RpcError("INVALID_ARGUMENT", `the document is not JSON: ${err.message}`);
  }
  return { json: JSON.stringify(transform(doc)) };
}
