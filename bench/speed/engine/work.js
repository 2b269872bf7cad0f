// The engine benchmarks' workload: transform as in bench/speed/peers/*/transform.js, a document of about 10 KB
// shaped like speedbench's (host/cmd/speedbench/doc.go), and loop(part, ms), which runs one part for that long.
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
let seed = 5;
function rnd(n) { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; }
const words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"];
const word = () => words[rnd(words.length)];
const doc = { kind: "speedbench", version: 1, generated: "2025-01-01T00:00:00Z", records: [] };
let text;
for (;;) {
  const i = doc.records.length;
  const history = [];
  for (let h = 0; h < 3; h++) history.push({ at: 1700000000 + rnd(1000000), amount: rnd(1000000) / 100, note: null });
  doc.records.push({ id: i, name: `${word()} ${word()}-${i}`, email: `user${i}@example.org`, active: rnd(2) === 0,
    score: rnd(100000) / 100, tags: [word(), word(), word()],
    address: { street: `${rnd(999)} ${word()} road`, city: word(), zip: String(rnd(99999)).padStart(5, "0") }, history });
  text = JSON.stringify(doc);
  if (text.length >= 10240) break;
}
function whole(json) { return JSON.stringify(transform(JSON.parse(json))); }
let parsed = JSON.parse(text), transformed = transform(parsed);
function parseOnly(json) { return JSON.parse(json); }
function transformOnly() { return transform(parsed); }
function stringifyOnly() { return JSON.stringify(transformed); }
const parts = { whole: () => whole(text), parse: () => parseOnly(text), transform: transformOnly, stringify: stringifyOnly };
function loop(name, ms) {
  const f = parts[name];
  const t0 = Date.now();
  let n = 0;
  while (Date.now() - t0 < ms) { for (let i = 0; i < 20; i++) f(); n += 20; }
  return n;
}
