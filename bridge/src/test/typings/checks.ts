// Checked by tools/typings-check.sh with tsc against the declarations `bridgejs types` writes for the
// test protos (everything.d.ts, legacy.d.ts, shadowing.d.ts, shop.d.ts, shapes.d.ts, generated beside this file). The lines
// after `@ts-expect-error` must fail to type-check: if the declarations accepted them, tsc would
// report the unused directive, so a passing check proves that the types reject what the runtime
// rejects, as well as accept what it accepts.
import type { AnyMessage, JsonValue, mapping } from "./everything";
import type { legacy } from "./legacy";
import type { Clock, Date as DateMessage, Item, function_ } from "./shadowing";
import type { shop } from "./shop";
import type { CallContext, shapes } from "./shapes";

// ---- What a handler receives: the exact JavaScript types ----

function received(all: mapping.All): void {
  const text: string = all.s;
  const bytes: Uint8Array = all.b;
  const big: bigint = all.i64 + all.u64 + all.s64 + all.f64 + all.sf64;
  const small: number = all.i32 + all.u32 + all.f + all.d;
  const level: "LEVEL_UNSPECIFIED" | "LOW" | "HIGH" | number = all.level;
  const names: string[] = Object.keys(all.m_int32);
  const node: mapping.Node | undefined = all.m_uint32["7"];
  const time: number | undefined = all.ts?.getTime();
  const duration: string | undefined = all.dur;
  const wrapped: string | null = all.w_string;
  const wrappedBig: bigint | null = all.w_int64;
  const json: JsonValue | undefined = all.v;
  const struct: JsonValue | undefined = all.st?.["key"];
  const any: AnyMessage | undefined = all.any;
  const typeUrl: string | undefined = all.any?.["@type"];
  const paths: string[] | undefined = all.fm;
  const dates: Date[] = all.r_ts;
  const bigs: bigint[] = all.r_w_int64;
  const choice: string | undefined = all.c_text;
  const child: string | undefined = all.node?.child?.children[0]?.by_name["x"]?.name;
  void [text, bytes, big, small, level, names, node, time, duration, wrapped, wrappedBig, json, struct, any,
    typeUrl, paths, dates, bigs, choice, child];

  // @ts-expect-error 64-bit integers arrive as BigInt, never as number
  const notNumber: number = all.i64;
  // @ts-expect-error bytes arrive as Uint8Array
  const notString: string = all.b;
  // @ts-expect-error an unset wrapper field is null
  const notNull: string = all.w_string;
  // @ts-expect-error a oneof member is absent unless set
  const notAbsent: string = all.c_text;
  // @ts-expect-error a message field is absent unless set
  const notUnset: mapping.Node = all.node;
  // @ts-expect-error a Timestamp arrives as a Date
  const notStringTime: string | undefined = all.ts;
  // @ts-expect-error fields are named as in the .proto, not by their JSON names
  const notJsonName = all.rS;
  void [notNumber, notString, notNull, notAbsent, notUnset, notStringTime, notJsonName];
}

function receivedProto2(message: legacy.Legacy): void {
  const id: string = message.id;
  const mood: "CALM" | "ANGRY" | undefined = message.mood;
  void [id, mood];
  // @ts-expect-error proto2 optional fields are absent unless set
  const count: number = message.count;
  void count;
}

// ---- What a handler may return: everything the runtime accepts back ----

const echo: mapping.Mapping["Echo"] = (request) => ({
  s: request.s,
  b: "text is UTF-8",
  i64: 42,
  u64: "18446744073709551615",
  s64: -1n,
  level: "HIGH",
  r_level: ["LOW", 2],
  r_b: [new Uint8Array(1), new ArrayBuffer(2), new DataView(new ArrayBuffer(1)), "x"],
  rI64: [1n, 2, "3"],
  m_int32: new Map([[1, "one"], [2, "two"]]),
  m_int64: { "5": new Uint16Array(2) },
  mBool: new Map([[true, 1.5]]),
  m_uint32: { "1": { name: "n", children: [{ byName: { x: {} } }] } },
  node: null,
  c_text: "chosen",
  o_i32: undefined,
  ts: new Date(),
  r_ts: ["2024-05-01T12:00:00.123456789Z", { seconds: 1n, nanos: 5 }],
  dur: 1500,
  r_dur: ["1.5s", { seconds: "3" }],
  w_string: null,
  wInt64: 7,
  w_bytes: "raw",
  st: new Map([["a", [1, { b: null }]]]),
  v: null,
  lv: [true, "x", 3n],
  e: {},
  any: { "@type": "type.googleapis.com/mapping.Node", name: "packed" },
  fm: "user.displayName,photo",
  mV: { x: { nested: [null] } },
});

const echoAsync: mapping.Mapping["Echo"] = async () => ({});
const echoEmpty: mapping.Mapping["EchoEmpty"] = () => {};
const echoEmptyObject: mapping.Mapping["EchoEmpty"] = async () => ({});
const inspect: mapping.Mapping["Inspect"] = (probe) => probe.expr;
const inspectNothing: mapping.Mapping["Inspect"] = () => null;
const make: mapping.Mapping["Make"] = (text) => ({ s: text.toUpperCase() });
const echoTimestamp: mapping.Mapping["EchoTimestamp"] = (date) => date.toISOString();
const echoDuration: mapping.Mapping["EchoDuration"] = (text) => text.length;
const echoInt64: mapping.Mapping["EchoInt64Value"] = (value) => value * 2n;
const echoStruct: mapping.Mapping["EchoStruct"] = (struct) => ({ ...struct, added: 1n });
const echoValue: mapping.Mapping["EchoValue"] = () => undefined;
const echoList: mapping.Mapping["EchoListValue"] = (list) => [...list, null];
const echoAny: mapping.Mapping["EchoAny"] = () => ({});
const echoMask: mapping.Mapping["EchoFieldMask"] = (paths) => paths;
const withContext: mapping.Mapping["Echo"] = (_request, context) => {
  const method: string = context.method;
  const headers: readonly string[] | undefined = context.metadata["x-id"];
  const deadline: number | undefined = context.deadline?.getTime();
  context.signal.addEventListener("abort", () => console.warn(context.signal.reason?.code));
  context.signal.throwIfAborted();
  const token: Uint8Array | undefined = context.metadata["x-token-bin"]?.[0];
  context.setHeader("x-served-by", "bridge");
  context.setTrailer("x-raw-bin", new Uint8Array([1]));
  // (a string for a -bin name is refused at run time only: TypeScript has no "string not ending in -bin")
  // @ts-expect-error a header's value is a string
  context.setTrailer("x-count", 1);
  if (method === "") {
    throw new RpcError("INVALID_ARGUMENT", "bad", { details: [
      { "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [{ field: "b", description: "x" }] }] });
  }
  // @ts-expect-error a detail needs its "@type"
  void new RpcError("INTERNAL", "x", { details: [{ reason: "no type" }] });
  void [method, headers, deadline, token];
  return {};
};
const makeLegacy: legacy.LegacyService["MakeLegacy"] = (id) => ({ id, mood: 2, flags: { true: "yes" } });
void [echo, echoAsync, echoEmpty, echoEmptyObject, inspect, inspectNothing, make, echoTimestamp, echoDuration,
  echoInt64, echoStruct, echoValue, echoList, echoAny, echoMask, withContext, makeLegacy];

// @ts-expect-error bytes: a number is not bytes
const badBytes: mapping.Mapping["Echo"] = () => ({ b: 42 });
// @ts-expect-error a property the message does not have
const badField: mapping.Mapping["Echo"] = () => ({ nope: 1 });
// @ts-expect-error an enum value the .proto does not define
const badEnum: mapping.Mapping["Echo"] = () => ({ level: "MEDIUM" });
// @ts-expect-error a repeated field's items cannot be null
const badItem: mapping.Mapping["Echo"] = () => ({ r_s: [null] });
// @ts-expect-error a map's values cannot be null (but for google.protobuf.Value)
const badMapValue: mapping.Mapping["Echo"] = () => ({ m_string: { a: null } });
// @ts-expect-error a Timestamp is not a number
const badTimestamp: mapping.Mapping["Echo"] = () => ({ ts: 1714564800000 });
// @ts-expect-error a wrong type inside a promise
const badAsync: mapping.Mapping["Echo"] = async () => ({ i32: "1" });
// @ts-expect-error a response with fields must be returned
const badNothing: mapping.Mapping["Echo"] = () => {};
// @ts-expect-error an Empty response is an object or nothing, not a number
const badEmpty: mapping.Mapping["EchoEmpty"] = () => 42;
// @ts-expect-error the request of Make is a string (a StringValue)
const badRequest: mapping.Mapping["Make"] = (text: number) => ({ i32: text });
// @ts-expect-error a proto2 required field must be returned
const badRequired: legacy.LegacyService["EchoLegacy"] = () => ({ mood: "CALM" });
void [badBytes, badField, badEnum, badItem, badMapValue, badTimestamp, badAsync, badNothing, badEmpty,
  badRequest, badRequired];

// ---- The globals the runtime provides ----

function globals(): void {
  const bytes: Uint8Array = fs.readFileSync("a");
  const text: string = fs.readFileSync("a", "utf8");
  fs.writeFileSync("b", new TextEncoder().encode(text));
  fs.writeFileSync("c", "text");
  const exists: boolean = fs.existsSync("c");
  fs.unlinkSync("c");
  fs.mkdirSync("d", { recursive: true });
  fs.appendFileSync("d/log", "line\n");
  const names: string[] = fs.readdirSync("d");
  const stat = fs.statSync("d/log");
  const sized: number = stat.isFile() && !stat.isDirectory() ? stat.size + stat.mtimeMs : 0;
  fs.renameSync("d/log", "d/old");
  fs.rmSync("d", { recursive: true, force: true });
  const listed: Promise<string[]> = fs.promises.readdir(names[0] ?? String(sized));
  const read: Promise<string> = fs.promises.readFile("a", "utf8");
  // @ts-expect-error: readdirSync gives names, not bytes
  const notBytes: Uint8Array = fs.readdirSync("d");
  void [listed, read, notBytes];
  const decoded: string = new TextDecoder().decode(bytes);
  const error = new RpcError("NOT_FOUND", "missing", { cause: exists });
  const lower = new RpcError("not_found", "missing");
  const numbered = new RpcError(5, "missing");
  const timer = setTimeout((label: string) => console.log(label, decoded), 10, "done");
  clearTimeout(timer);
  clearInterval(setInterval(() => {}, 5).unref());
  clearImmediate(setImmediate(() => {}));
  queueMicrotask(() => console.error(error.code, lower.message, numbered.name));
  // @ts-expect-error not a gRPC status
  void new RpcError("NOT_FUND", "typo");
  // @ts-expect-error the arguments must match the callback's parameters
  setTimeout((label: string) => console.log(label), 10, 42);
  const hostArgs: readonly string[] = bridge.args;
  const firstArg: string | undefined = bridge.args[0];
  void [hostArgs, firstArg];
  // @ts-expect-error bridge.args is frozen
  bridge.args.push("--more");
  // @ts-expect-error no Node built-ins
  void require("fs");
  // @ts-expect-error no DOM
  void document;
}

// ---- Names that shadow others: package-less messages, nested types, reserved words ----

const now: Clock["Now"] = (who) => (who.who === "" ? new Date() : "2024-05-01T00:00:00Z");
const describe: Clock["Describe"] = (item) => ({ note: item.local?.text ?? item.root?.year.toString() });
const convert: Clock["Convert"] = (date: DateMessage) => ({ data: date.raw, parts: { a: { next: { then: { body: "b" } } } } });
const kind: Item["kind"] = "SMALL";
const box: function_.v1.Uint8Array["data"] = new Uint8Array(1);
void [now, describe, convert, kind, box, received, receivedProto2, globals];
// @ts-expect-error Item.Date is the nested message, not the root's Date
const wrongDate: Item.Date = { year: 1 };
// @ts-expect-error an alias (LITTLE) is accepted back but never received: values arrive by their first name
const aliasReceived: Item["kind"] = "LITTLE";
void [wrongDate, aliasReceived];

// ---- Service objects: one per service, typed by the service's interface ----

const inventory: shop.v1.Inventory = {
  Get(request) { return "inventory:" + request; },
  async Count(request) { return BigInt(request?.length ?? 0); },
};
const orders: shop.v1.Orders = {
  Get: async (request) => request,
  Place(request, context) { return context.method + request; },
};
// data used through `this` joins the type by an intersection, as docs/reference.md says
const withState: shop.v1.Orders & { prefix: string } = {
  prefix: "order ",
  Get(request) { return this.prefix + request; },
  Place: (request) => request,
};
void [inventory, orders, withState];
const misspelt: shop.v1.Orders = {
  Get: (request) => request,
  Place: (request) => request,
  // @ts-expect-error every key must be a method of the service
  place: (request: string) => request,
};
const wrongResponse: shop.v1.Inventory = {
  Get: (request) => request,
  // @ts-expect-error Count answers an Int64Value (a number, BigInt or decimal string), not a boolean
  Count: () => true,
};
// @ts-expect-error an object leaving a method out is no Orders (the method would answer UNIMPLEMENTED)
const incomplete: shop.v1.Orders = { Get: (request) => request };
void [misspelt, wrongResponse, incomplete];

// ---- The four call shapes (shapes.proto): each handler typed by its shape ----

const shaped: shapes.v1.Inventory = {
  // unary: the response, or a promise of it
  async Get(request, context) {
    context.setHeader("x-tag", request.tag);
    return { name: "inventory:" + request.tag, n: request.count };
  },
  // server streaming: an async generator; each yield is one response
  async *Count(request, context) {
    context.setHeader("x-stream", "count");
    let sent = 0n;
    try {
      for (let n = 1n; n <= request.count; n++) {
        if (context.signal.aborted) {
          return;
        }
        yield { name: request.tag, n, payload: new Uint8Array(4) };
        sent = n;
      }
    } finally {
      context.setTrailer("x-items", String(sent));
    }
  },
  // client streaming: requests arrive as an async iterable; the one response at the end
  async Sum(requests) {
    let count = 0n;
    let total = 0n;
    const names: string[] = [];
    for await (const item of requests) {
      count++;
      total += item.n;
      names.push(item.name);
    }
    return { count, total, names: names.join(",") };
  },
  // bidi: reading and yielding interleave; `this` is the service object
  async *Echo(requests, context) {
    const first = await this.Get({ count: 0n, tag: "echo" }, context);
    void first;
    for await (const ping of requests) {
      yield { seq: ping.seq, payload: ping.payload };
    }
  },
  // a stream of Empty may yield nothing but `{}` (or undefined)
  async *Ticks() {
    yield {};
  },
  async *Names(requests) {
    for await (const name of requests) {
      yield name.toUpperCase();
    }
  },
};

// any object with [Symbol.asyncIterator] serves a stream, not only a generator
const iterableCount: shapes.v1.Inventory["Count"] = (request) => ({
  [Symbol.asyncIterator]() {
    let n = 0n;
    return {
      async next(): Promise<IteratorResult<shapes.v1.ItemInit>> {
        n++;
        return n > request.count ? { done: true, value: undefined } : { done: false, value: { n } };
      },
    };
  },
});
// a client-streaming handler may answer without reading every request, and synchronously
const firstOnly: shapes.v1.Inventory["Sum"] = () => ({ count: 1 });
// a bidi handler may hand back another async iterable (here one mapped from the requests)
const mapped: shapes.v1.Inventory["Echo"] = (requests) => (async function* () {
  for await (const ping of requests) {
    yield { seq: ping.seq + 1n };
  }
})();
const sharedGet: shapes.v1.Orders = { Get: (request) => ({ name: "orders:" + request.tag }) };
void [shaped, iterableCount, firstOnly, mapped, sharedGet];

// @ts-expect-error a server-streaming handler returns an async iterable, not one response
const countNotIterable: shapes.v1.Inventory["Count"] = async () => ({ n: 1 });
// @ts-expect-error a server-streaming handler's items are responses: n is not a boolean
const countWrongItem: shapes.v1.Inventory["Count"] = async function* () { yield { n: true }; };
// @ts-expect-error a synchronous iterable (an array) is not an async iterable
const countArray: shapes.v1.Inventory["Count"] = () => [{ n: 1 }];
// @ts-expect-error a client-streaming handler's requests are an async iterable, not one request
const sumOneRequest: shapes.v1.Inventory["Sum"] = (requests) => ({ names: requests.name });
// @ts-expect-error a client-streaming handler answers one response, not a stream of them
const sumStream: shapes.v1.Inventory["Sum"] = async function* () { yield { count: 1 }; };
// @ts-expect-error a bidi handler returns an async iterable, not one response
const echoOne: shapes.v1.Inventory["Echo"] = async () => ({ seq: 1 });
// @ts-expect-error a bidi handler's items are Pings: Summary's fields are not
const echoWrongItem: shapes.v1.Inventory["Echo"] = async function* () { yield { total: 1 }; };
// @ts-expect-error a unary handler is not a generator
const getGenerator: shapes.v1.Inventory["Get"] = async function* () { yield { name: "x" }; };
// @ts-expect-error the requests of Echo are Pings: they have no name
const echoReadsWrongField: shapes.v1.Inventory["Echo"] = async function* (requests) { for await (const r of requests) yield { seq: r.name }; };
void [countNotIterable, countWrongItem, countArray, sumOneRequest, sumStream, echoOne, echoWrongItem, getGenerator,
  echoReadsWrongField];
const streamsObject: shapes.v1.Inventory = {
  ...shaped,
  // @ts-expect-error inside a service object too: Count yields Items, not strings
  async *Count() { yield "one"; },
};
void streamsObject;
const thisIsTheService: shapes.v1.Orders = {
  async Get(request, context) {
    const again: shapes.v1.Orders["Get"] = this.Get;
    void again;
    // @ts-expect-error `this` is the service object, typed by its interface: it has no method List
    void this.List(request, context);
    return {};
  },
};
void thisIsTheService;

// ---- The broker: clients typed by service name, every shape; serve typed by service ----
async function brokered(id: number, bigId: bigint, context: CallContext): Promise<void> {
  const inventory = await broker.dial(id, "shapes.v1.Inventory");
  const item: shapes.v1.Item = await inventory.Get({ count: 1n, tag: "x" }, { timeout: 500 });
  for await (const counted of inventory.Count({ count: 3 }, { deadline: new Date(), signal: context.signal })) {
    const name: string = counted.name;
    void name;
  }
  const summary: shapes.v1.Summary = await inventory.Sum([{ name: "a" }, { name: "b", n: 2 }]);
  async function* pings() { yield { seq: 1 }; }
  for await (const pong of inventory.Echo(pings(), { metadata: { "x-trace": "t", "x-raw-bin": new Uint8Array(1) } })) {
    const seq: bigint = pong.seq;
    void seq;
  }
  const orders: shapes.v1.OrdersClient = await broker.dial(bigId, "shapes.v1.Orders");
  const controller = new AbortController();
  controller.abort();
  await orders.Get({}, { signal: controller.signal });
  void [item, summary];
  // @ts-expect-error only services of the loaded .proto files can be dialed
  await broker.dial(id, "no.Such");
  // @ts-expect-error Get takes a CountRequest, whose count is an int64 (number, BigInt or decimal string), not a boolean
  await inventory.Get({ count: true });
  // @ts-expect-error Get resolves to an Item, which has no field total
  void (await inventory.Get({})).total;
  // @ts-expect-error Sum takes an iterable of requests, not one
  await inventory.Sum({ name: "a" });
  // @ts-expect-error an unknown option
  await inventory.Get({}, { retries: 3 });
  // @ts-expect-error broker ids are numbers or BigInts
  await broker.dial("7", "shapes.v1.Orders");

  const served: number = await broker.serve("shapes.v1.Inventory", {
    Get: (request) => ({ name: request.tag }),
    async *Count(request) { yield { n: request.count }; },
  });
  const stopped: boolean = await broker.stop(served);
  const hungUp: boolean = await broker.close(id);
  void [stopped, hungUp];
  await broker.serve("shapes.v1.Orders", {
    // @ts-expect-error a misspelt handler: Orders has no method Gte
    Gte: () => ({}),
  });
}
void brokered;

// ---- The web and Node globals (each is used, so that a missing declaration fails) ----

async function webGlobals(context: CallContext): Promise<void> {
  const controller = new AbortController();
  const signals: AbortSignal[] = [controller.signal, AbortSignal.timeout(100), AbortSignal.abort("why")];
  signals[0]?.addEventListener("abort", function (event) { void [this.aborted, event.target.reason]; }, { once: true });
  controller.signal.throwIfAborted();
  const url = new URL("/path?q=1", "https://api.example.com");
  url.searchParams.append("page", "2");
  const parsed: URL | null = URL.parse("https://x.example");
  const ok: boolean = URL.canParse(url) && url.origin === "https://api.example.com" && parsed !== null;
  const query = new URLSearchParams({ a: "1" });
  const pairs = new URLSearchParams([["a", "1"], ["b", "2"]]);
  for (const [name, value] of query) void [name, value];
  const size: number = query.size + pairs.getAll("a").length;
  const headers = new Headers({ accept: "application/json" });
  headers.append("x-trace", "t");
  const got: string | null = headers.get("accept");
  const request = new Request(url, { method: "POST", headers, body: JSON.stringify({ ok }), redirect: "error" });
  const response: Response = await fetch(request, { signal: context.signal });
  const json: unknown = await response.json();
  const more = await fetch("https://api.example.com/more", { signal: controller.signal, body: query, method: "PUT" });
  if (more.body !== null) {
    for await (const chunk of more.body) {
      const n: number = chunk.byteLength;
      void n;
    }
  }
  const reader = (await fetch(url)).body?.getReader();
  const first = await reader?.read();
  if (first !== undefined && !first.done) void first.value.byteLength;
  await reader?.cancel();
  const made = Response.json({ ok }, { status: 201, headers: [["x-a", "b"]] });
  const fromBytes = new Response(new Uint8Array(2), { status: 200 });
  const bytes: Uint8Array = await fromBytes.bytes();
  const buffer: ArrayBuffer = await made.arrayBuffer();
  const encoded: string = btoa("hi");
  const decoded: string = atob(encoded);
  const copy: { a: Date[] } = structuredClone({ a: [new Date()] });
  const elapsed: number = performance.now() - performance.timeOrigin;
  const id: string = crypto.randomUUID();
  const random: Uint32Array = crypto.getRandomValues(new Uint32Array(4));
  const digest: ArrayBuffer = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(id));
  const key: CryptoKey = await crypto.subtle.importKey("raw", new Uint8Array(32), { name: "HMAC", hash: "SHA-256" },
    false, ["sign", "verify"]);
  const signature = await crypto.subtle.sign("HMAC", key, bytes);
  const verified: boolean = await crypto.subtle.verify({ name: "HMAC" }, key, signature, bytes);
  const exported: ArrayBuffer = await crypto.subtle.exportKey("raw", key);
  const token: string | undefined = process.env["API_TOKEN"];
  const platform: string = process.platform;
  const hex: string = Buffer.from("hi", "utf8").toString("hex");
  const joined: Buffer = Buffer.concat([Buffer.alloc(2, "a"), Buffer.from([1, 2]), Buffer.from(buffer)]);
  const asBytes: Uint8Array = joined.subarray(1);
  const isBuffer: boolean = Buffer.isBuffer(asBytes) && joined.equals(asBytes) && Buffer.byteLength("é") === 2;
  const appended: Promise<void> = fs.promises.appendFile("log", "line\n");
  void [ok, size, got, json, made.status, made.ok, response.headers.getSetCookie(), decoded, copy, elapsed, random,
    digest, verified, exported, token, platform, hex, isBuffer, appended, key.algorithm.hash?.name, await webCrypto()];

  // @ts-expect-error fetch takes a URL, not a number
  await fetch(42);
  // @ts-expect-error redirect is follow, manual or error
  void new Request("https://x.example", { redirect: "never" });
  // @ts-expect-error only SHA digests
  await crypto.subtle.digest("MD5", bytes);
  // @ts-expect-error no AES-CBC
  await crypto.subtle.importKey("raw", bytes, { name: "AES-CBC" }, false, ["encrypt"]);
  // @ts-expect-error a Buffer encoding the runtime lacks
  void Buffer.from("x", "utf16le");
  // @ts-expect-error AbortSignal is made by its controller or its static methods
  void new AbortSignal();
  // @ts-expect-error the body of a response is a stream of bytes, not a string
  const notText: string = (await fetch(url)).body;
  // @ts-expect-error process has no exit
  process.exit(1);
  void notText;
}
void webGlobals;

async function webCrypto(): Promise<boolean> {
  const aes: CryptoKey = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"]);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed: ArrayBuffer = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: iv }, aes,
    new TextEncoder().encode("secret"));
  const opened: ArrayBuffer = await crypto.subtle.decrypt({ name: "AES-GCM", iv, tagLength: 128 }, aes, sealed);
  const jwk: JsonWebKey = await crypto.subtle.exportKey("jwk", aes);
  const again = await crypto.subtle.importKey("jwk", jwk, "AES-GCM", false, ["decrypt"]);
  const pair: CryptoKeyPair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
  const signature = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, pair.privateKey, opened);
  const spki: ArrayBuffer = await crypto.subtle.exportKey("spki", pair.publicKey);
  const ed = await crypto.subtle.generateKey("Ed25519", false, ["sign", "verify"]);
  const edPublic = await crypto.subtle.importKey("raw", new Uint8Array(32), { name: "Ed25519" }, true, ["verify"]);
  const hmac: CryptoKey = await crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-512" }, false, ["sign"]);
  void [again, spki, ed.privateKey.type, edPublic.algorithm.namedCurve, hmac.algorithm.length];
  // @ts-expect-error ECDSA keys are on P-256 only
  await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-384" }, true, ["sign"]);
  // @ts-expect-error AES-GCM needs an iv
  await crypto.subtle.encrypt({ name: "AES-GCM" }, aes, sealed);
  // @ts-expect-error a key pair is no key
  const notAKey: CryptoKey = await crypto.subtle.generateKey("Ed25519", false, ["sign"]);
  void notAKey;
  return crypto.subtle.verify({ name: "ECDSA", hash: { name: "SHA-256" } }, pair.publicKey, signature, opened);
}
