"use strict";
// bench.Bench/Transform: parse the JSON document, transform it, serialise it again. transform is the
// same function as bench/speed/peers/bridge/transform.js and Go's benchrpc.Transform.
const grpc = require("@grpc/grpc-js");

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

function Transform(call, callback) {
  let doc;
  try {
    doc = JSON.parse(call.request.json);
  } catch (err) {
    callback({ code: grpc.status.INVALID_ARGUMENT, details: `the document is not JSON: ${err.message}` });
    return;
  }
  callback(null, { json: JSON.stringify(transform(doc)) });
}

module.exports = { Transform };
