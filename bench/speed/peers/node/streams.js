"use strict";
// bench.Bench's streaming methods, as a Node user writes them with @grpc/grpc-js, honouring
// backpressure: when call.write() returns false the stream's buffer is full (the host is not
// reading fast enough), so stop writing until 'drain'. Without that a fast producer buffers
// without bound.

// Stream: `count` items, seq 0 to count-1, each with a payload of `size` "x"s.
function Stream(call) {
  const { count, size } = call.request;
  const payload = "x".repeat(size);
  let seq = 0;
  let cancelled = false;
  call.on("cancelled", () => {
    cancelled = true;
  });
  call.on("error", () => {}); // a cancelled call's error is the host's doing, not ours
  const pump = () => {
    while (!cancelled && seq < count) {
      if (!call.write({ seq: seq++, payload })) {
        call.once("drain", pump);
        return;
      }
    }
    if (!cancelled) call.end();
  };
  pump();
}

// Echo: every item answered with an equal one; reading pauses while the answers cannot go out.
function Echo(call) {
  call.on("data", (item) => {
    if (!call.write(item)) {
      call.pause();
      call.once("drain", () => call.resume());
    }
  });
  call.on("end", () => call.end());
  call.on("error", () => {});
}

module.exports = { Stream, Echo };
