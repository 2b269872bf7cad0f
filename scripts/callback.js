// @ts-check
// go-plugin's broker both ways (../proto/callback.proto, see callback.plugin.json, whose `services`
// names only the Counter: the AddHelper is the host's, and one the script offers). Put and AddAll
// dial the AddHelper the host offers under the broker id in the request and call it back; Offer
// serves an AddHelper of the script's own and returns its broker id for the host to dial. The types
// are in callback.d.ts (`bridgejs types callback.js` writes it). host/cmd/callback calls it;
// host/e2e/callback_test.go tests it.
/** @import { callback, CallContext } from "./callback" */

/**
 * Each key's value, as a promise: a Put waits for the key's previous one, so that concurrent Puts
 * add up.
 * @type {Map<string, Promise<bigint>>}
 */
const values = new Map();

/** @type {callback.Counter} */
export const Counter = {
  // As go-plugin's bidirectional example: the host does the adding.
  async Put({ add_server, key, value }, context) {
    return withHostHelper(add_server, async (helper) => {
      const before = values.get(key) ?? Promise.resolve(0n);
      const after = before.then(async (a) => (await helper.Sum({ a, b: value }, following(context))).result);
      values.set(key, after.catch(() => before)); // a failed Put leaves the value as it was
      return { value: await after };
    });
  },

  async Get({ key }) {
    return { value: await (values.get(key) ?? 0n) };
  },

  // The host's AddHelper, every streaming shape: Total takes the numbers as an async iterable,
  // Running takes one and returns one, Range returns one.
  async AddAll({ add_server, numbers }, context) {
    return withHostHelper(add_server, async (helper) => {
      const options = following(context);
      const { result: total } = await helper.Total(each(numbers), options);
      const running = [];
      for await (const { n } of helper.Running(each(numbers), options)) running.push(n);
      let range_total = 0n;
      for await (const { n } of helper.Range({ from: 1n, to: total }, options)) range_total += n;
      return { total, running, range_total };
    });
  },

  // The host dials the returned id with its broker (broker.Dial(id) in Go); the AddHelper is
  // served until the plugin stops (broker.stop(id) would stop it sooner).
  async Offer({ name }) {
    return { broker_id: await broker.serve("callback.AddHelper", adder(name)) };
  },
};

/**
 * An AddHelper whose sums say they are by `by`.
 * @param {string} by
 * @returns {callback.AddHelper}
 */
function adder(by) {
  return {
    async Sum({ a, b }) {
      return { result: a + b, by };
    },
    async *Range({ from, to }) {
      for (let n = from; n <= to; n++) yield { n };
    },
    async Total(numbers) {
      let result = 0n;
      for await (const { n } of numbers) result += n;
      return { result, by };
    },
    async *Running(numbers) {
      let sum = 0n;
      for await (const { n } of numbers) yield { n: (sum += n) };
    },
  };
}

/**
 * Dials the AddHelper the host offers under id, uses it, and closes the connection: the host offers
 * one for each request (a new id each time, as go-plugin's bidirectional example does).
 * @template T
 * @param {number} id
 * @param {(helper: callback.AddHelperClient) => Promise<T>} use
 * @returns {Promise<T>}
 */
async function withHostHelper(id, use) {
  const helper = await broker.dial(id, "callback.AddHelper");
  try {
    return await use(helper);
  } finally {
    await broker.close(id);
  }
}

/**
 * Options for a call back to the host made while handling one of its calls: the host's cancel and
 * deadline reach it (as a Go plugin passing its ctx on).
 * @param {CallContext} context
 */
function following(context) {
  return { signal: context.signal, deadline: context.deadline };
}

/**
 * The numbers as the requests of a streaming call.
 * @param {bigint[]} numbers
 */
async function* each(numbers) {
  for (const n of numbers) yield { n };
}
