// @ts-check
// Every call shape of ../proto/streams.proto (see streams.plugin.json), and two services sharing a
// method name, each served by the object named after it. The types are in streams.d.ts
// (`bridgejs types streams.js` writes it). host/cmd/streams calls it; host/e2e/streams_test.go tests it.
/** @import { streams, CallSignal } from "./streams" */

/** @type {streams.Inventory} */
export const Inventory = {
  async Get({ tag }) {
    return { name: `inventory:${tag}` };
  },

  // Items 1..count, each after delay_ms, with payload_bytes of payload. A header announces how many
  // will come, a trailer says how many went (with the status, an error's too). fail_after > 0 ends
  // the stream with INVALID_ARGUMENT (and a BadRequest) once that many items are sent. Stopped by
  // the host (cancel or deadline), it leaves cancelled-<tag> in the plugin's files directory
  // instead, saying why.
  async *Count({ count, tag, delay_ms, fail_after, payload_bytes }, context) {
    const payload = new Uint8Array(payload_bytes);
    let sent = 0;
    context.setHeader("x-stream", String(count));
    try {
      for (let n = 1n; n <= count; n++) {
        if (delay_ms > 0) await sleep(delay_ms, context.signal);
        yield { name: `${tag} ${n}`, n, payload };
        sent++;
        if (sent === fail_after) {
          throw new RpcError("INVALID_ARGUMENT", `failing as asked, after ${sent} of ${count} items`, {
            details: [{
              "@type": "type.googleapis.com/google.rpc.BadRequest",
              fieldViolations: [{ field: "fail_after", description: `asked to fail after ${fail_after} of ${count} items` }],
            }],
          });
        }
      }
    } finally {
      if (context.signal.aborted) {
        // the host is gone: nothing more reaches it, so the stop is recorded where one can see it
        fs.writeFileSync(`cancelled-${tag}`, `${context.signal.reason?.code} after ${sent} items`);
      } else {
        context.setTrailer("x-items", String(sent));
      }
    }
  },

  // The requests are read as they come: a million of them take no more memory than ten.
  async Sum(requests) {
    let count = 0n, total = 0n;
    for await (const item of requests) {
      count++;
      total += item.n;
    }
    return { count, total };
  },

  // Each ping goes back before the next is read.
  async *Echo(requests) {
    for await (const { seq, payload } of requests) yield { seq, payload };
  },
};

/** @type {streams.Orders} */
export const Orders = {
  async Get({ tag }) {
    return { name: `orders:${tag}` };
  },
};

/**
 * Resolves after ms milliseconds, or rejects with the signal's reason as soon as it aborts.
 * @param {number} ms
 * @param {CallSignal} signal
 * @returns {Promise<void>}
 */
function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
