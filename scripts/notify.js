// @ts-check
// A webhook notifier: the repository's example of a plugin that talks to the world (README.md,
// "Talking to the world"). It serves ../proto/notify.proto. Its manifest, notify.plugin.json, grants
// what it may reach: the webhook's host (permissions.net) and two environment variables
// (permissions.env), NOTIFY_TOKEN (sent as a bearer token) and NOTIFY_SECRET (signs each body).
// host/e2e/notify_test.go tests it through a go-plugin host against a local HTTP server.
/** @import { notify, CallSignal } from "./notify" */

/** @type {notify.v1.Notifier["Send"]} */
export async function Send({ endpoint, channel, text, timeout_ms }, context) {
  const url = new URL(`channels/${checkChannel(channel)}/messages`, endpoint);
  const id = crypto.randomUUID();
  const body = JSON.stringify({ id, channel, text, sent_at: new Date().toISOString() });
  /** @type {Record<string, string>} */
  const headers = { "content-type": "application/json", "x-request-id": id, ...authorization() };
  if (process.env.NOTIFY_SECRET) Object.assign(headers, await signatureHeaders(body));

  const signal = callSignal(context.signal, timeout_ms || 5000, url);
  const response = await fetch(url, { method: "POST", headers, body, signal });
  if (!response.ok) {
    throw new RpcError(response.status === 429 || response.status >= 500 ? "UNAVAILABLE" : "FAILED_PRECONDITION",
        `${url}: ${response.status} ${(await response.text()).slice(0, 200)}`);
  }
  const { receipt } = await response.json();
  fs.mkdirSync("deliveries", { recursive: true });
  fs.appendFileSync(`deliveries/${channel}.log`, `${new Date().toISOString()} ${id} ${response.status} ${receipt}\n`);
  return { id, status: response.status, receipt };
}

// The webhook's event feed is one JSON object a line, sent as it happens: each is passed on as it comes.
/** @type {notify.v1.Notifier["Watch"]} */
export async function* Watch({ endpoint, channel }, context) {
  const url = new URL(`channels/${checkChannel(channel)}/events`, endpoint);
  const response = await fetch(url, { headers: authorization(), signal: context.signal });
  if (!response.ok || !response.body) throw new RpcError("UNAVAILABLE", `${url}: ${response.status}`);
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of response.body) {
    const lines = (pending + decoder.decode(chunk, { stream: true })).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      if (!line.trim()) continue;
      const { type, data } = JSON.parse(line);
      yield { type, data: Buffer.from(data ?? "", "base64") };
    }
  }
}

/** @type {notify.v1.Notifier["Sign"]} */
export async function Sign({ body }) {
  if (!process.env.NOTIFY_SECRET) throw new RpcError("FAILED_PRECONDITION", "NOTIFY_SECRET is not set");
  const headers = await signatureHeaders(body);
  return { signature: headers["x-signature"], body_sha256: headers["x-content-sha256"] };
}

/** @type {notify.v1.Notifier["History"]} */
export async function History() {
  if (!fs.existsSync("deliveries")) return { logs: [] };
  const logs = fs.readdirSync("deliveries").filter((name) => name.endsWith(".log")).sort().map((name) => {
    const lines = fs.readFileSync(`deliveries/${name}`, "utf8").trimEnd().split("\n");
    const { size } = fs.statSync(`deliveries/${name}`);
    return { channel: name.slice(0, -4), size, deliveries: lines.length, last: lines[lines.length - 1] };
  });
  return { logs };
}

/**
 * A signal that aborts when the call ends early (the host cancelled it, or its deadline passed) or after
 * ms milliseconds, whichever comes first. fetch rejects with its reason, an RpcError, so the call ends
 * with that status.
 * @param {CallSignal} callSignal
 * @param {number} ms
 * @param {URL} url
 */
function callSignal(callSignal, ms, url) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new RpcError("DEADLINE_EXCEEDED", `${url}: no answer within ${ms} ms`)), ms);
  callSignal.addEventListener("abort", () => {
    clearTimeout(timer);
    controller.abort(callSignal.reason);
  }, { once: true });
  return controller.signal;
}

/** @returns {Record<string, string>} */
function authorization() {
  const token = process.env.NOTIFY_TOKEN;
  return token ? { authorization: `Bearer ${token}` } : {};
}

/**
 * The headers that let the webhook check a body came from us: its HMAC-SHA256 under NOTIFY_SECRET, in
 * hex, and its SHA-256, in base64.
 * @param {string} body
 */
async function signatureHeaders(body) {
  const bytes = new TextEncoder().encode(body);
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(process.env.NOTIFY_SECRET),
      { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, bytes);
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return {
    "x-signature": `sha256=${Buffer.from(mac).toString("hex")}`,
    "x-content-sha256": Buffer.from(digest).toString("base64"),
  };
}

/** @param {string} channel */
function checkChannel(channel) {
  if (!/^[\w-]{1,64}$/.test(channel)) {
    throw new RpcError("INVALID_ARGUMENT", `channel ${JSON.stringify(channel)}: use letters, digits, _ and -`);
  }
  return channel;
}
