// The Transform's JavaScript in Node alone (docs/warm.md#cpu-bound-calls): per round, each part's CPU time per
// operation (the whole process). node bench/speed/engine/node.js ROUNDS; GraalJS's side: EngineBench.java.
const fs = require("fs");
eval(fs.readFileSync(__dirname + "/work.js", "utf8") + "\n;globalThis.loop = loop; globalThis.text = text;");
console.log("doc bytes", text.length);
const rounds = +process.argv[2] || 10;
for (let r = 0; r < rounds; r++) {
  const line = [];
  for (const name of ["whole", "parse", "transform", "stringify"]) {
    const c0 = process.cpuUsage();
    const n = loop(name, 1000);
    const c = process.cpuUsage(c0);
    line.push(`${name} ${(((c.user + c.system)) / n).toFixed(1)}us/op`);
  }
  console.log(r, line.join("  "));
}
