"use strict";
// The Node peer of bench/speed: a go-plugin plugin written as a Node user would, with @grpc/grpc-js
// and @grpc/proto-loader. It serves proto.KV (kv.js) and bench.Bench (transform.js, streams.js, fetch.js), plus what a
// go-plugin v1.0.1 host expects of a gRPC plugin:
//   - the magic cookie BASIC_PLUGIN=hello in the environment, else a message and exit 1;
//   - a Unix socket in PLUGIN_UNIX_SOCKET_DIR or the temp dir, announced by the handshake line
//     1|1|unix|<path>|grpc| on stdout once the server listens (nothing else goes to stdout);
//   - grpc.health.v1.Health reporting "plugin" as SERVING;
//   - plugin.GRPCController/Shutdown: answer, then stop and exit 0 (the host's Kill waits for it);
//   - plugin.GRPCBroker/StartStream: accepted and held open until the host ends it.
const fs = require("fs");
const os = require("os");
const path = require("path");
const grpc = require("@grpc/grpc-js");
const protoLoader = require("@grpc/proto-loader");
const kv = require("./kv.js");
const transform = require("./transform.js");
const streams = require("./streams.js");
const fetchDoc = require("./fetch.js");

const COOKIE_KEY = "BASIC_PLUGIN";
const COOKIE_VALUE = "hello";
const APP_PROTOCOL_VERSION = 1;

if (process.env[COOKIE_KEY] !== COOKIE_VALUE) {
  process.stderr.write(
    "This binary is a plugin. These are not meant to be executed directly.\n" +
      "Please execute the program that consumes these plugins, which will\n" +
      "load any plugins automatically\n");
  process.exit(1);
}

const protoFiles = [
  path.join(__dirname, "../../../../proto/kv.proto"),
  path.join(__dirname, "../../proto/bench.proto"),
  path.join(__dirname, "proto/health.proto"),
  path.join(__dirname, "proto/goplugin.proto"),
];
const loaded = grpc.loadPackageDefinition(
  protoLoader.loadSync(protoFiles, { keepCase: true, longs: String, enums: String, defaults: true }));

const server = new grpc.Server();
server.addService(loaded.proto.KV.service, kv);
server.addService(loaded.bench.Bench.service, { ...transform, ...streams, ...fetchDoc });
server.addService(loaded.grpc.health.v1.Health.service, {
  Check(call, callback) {
    const service = call.request.service;
    if (service === "" || service === "plugin") {
      callback(null, { status: "SERVING" });
    } else {
      callback({ code: grpc.status.NOT_FOUND, details: `unknown service ${JSON.stringify(service)}` });
    }
  },
});
server.addService(loaded.plugin.GRPCController.service, {
  Shutdown(call, callback) {
    callback(null, {});
    // Let the answer go out before the server stops.
    setImmediate(stop);
  },
});
server.addService(loaded.plugin.GRPCBroker.service, {
  StartStream(call) {
    call.on("data", () => {});
    call.on("end", () => call.end());
    call.on("error", () => {});
  },
});

const socketDir = process.env.PLUGIN_UNIX_SOCKET_DIR || os.tmpdir();
const socketPath = path.join(socketDir, `plugin-node-${process.pid}-${Date.now()}.sock`);

function removeSocket() {
  try {
    fs.unlinkSync(socketPath);
  } catch (err) {
    if (err.code !== "ENOENT") process.stderr.write(`removing ${socketPath}: ${err.message}\n`);
  }
}

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  const exit = () => {
    removeSocket();
    process.exit(0);
  };
  server.tryShutdown(exit);
  // Calls still running (a broker stream never ends by itself) must not hold the exit up.
  setTimeout(() => {
    server.forceShutdown();
    exit();
  }, 200);
}

process.on("SIGINT", () => {}); // the host owns Ctrl-C
process.on("SIGTERM", stop);

server.bindAsync(`unix:${socketPath}`, grpc.ServerCredentials.createInsecure(), (err) => {
  if (err) {
    process.stderr.write(`listening on ${socketPath}: ${err.message}\n`);
    process.exit(1);
  }
  process.stdout.write(`1|${APP_PROTOCOL_VERSION}|unix|${socketPath}|grpc|\n`);
});
