"use strict";
// The KV service as scripts/kv.js and host/cmd/goplugin-kv serve it: Put stores the value plus a
// suffix in the file kv_<key> of the working directory, replaced whole (written beside it, then
// renamed) so a concurrent Get never reads half a value; Get returns the file, NOT_FOUND if missing.
// Synchronous fs calls, as the bridge's fs offers.
const fs = require("fs");
const grpc = require("@grpc/grpc-js");

const SUFFIX = Buffer.from("\n\nWritten from plugin-node");
let tmpCounter = 0;

function fileFor(key) {
  if (key === "" || key.includes("/") || key.includes("\0")) {
    const err = new Error(`invalid key ${JSON.stringify(key)}`);
    err.code = grpc.status.INVALID_ARGUMENT;
    throw err;
  }
  return `kv_${key}`;
}

function Put(call, callback) {
  try {
    const { key, value } = call.request;
    const tmp = `.put-${process.pid}-${tmpCounter++}`;
    fs.writeFileSync(tmp, Buffer.concat([value, SUFFIX]));
    fs.renameSync(tmp, fileFor(key));
    callback(null, {});
  } catch (err) {
    callback(asStatus(err));
  }
}

function Get(call, callback) {
  try {
    callback(null, { value: fs.readFileSync(fileFor(call.request.key)) });
  } catch (err) {
    if (err.code === "ENOENT") {
      callback({ code: grpc.status.NOT_FOUND, details: `key ${JSON.stringify(call.request.key)} not found` });
    } else {
      callback(asStatus(err));
    }
  }
}

function asStatus(err) {
  const code = typeof err.code === "number" ? err.code : grpc.status.INTERNAL;
  return { code, details: err.message };
}

module.exports = { Get, Put };
