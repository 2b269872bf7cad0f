// bench.Bench/Fetch for Node: GET the JSON document at url (the driver's local HTTP server) with Node's
// global fetch and answer with its name. The same handler as bench/speed/peers/bridge/fetch.js.
"use strict";

const grpc = require("@grpc/grpc-js");

async function fetchName(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  const { name } = await response.json();
  return name;
}

module.exports = {
  Fetch(call, callback) {
    fetchName(call.request.url).then(
      (name) => callback(null, { name }),
      (err) => callback({ code: grpc.status.UNAVAILABLE, details: String(err && err.message) }),
    );
  },
};
