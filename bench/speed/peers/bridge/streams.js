// bench.Bench's streaming methods for the bridge, as a script author writes them (README.md, "The four
// call shapes"): Stream an async generator, one yield per item; Echo a bidi generator answering every item
// it reads with `for await`. Flow control is the bridge's: the generator is not resumed while the host
// is not reading. Transform is served by transform.js, in its own process.

// Stream: `count` items, seq 0 to count-1, each with a payload of `size` "x"s.
export async function* Stream({ count, size }) {
  const payload = "x".repeat(size);
  for (let seq = 0; seq < count; seq++) yield { seq, payload };
}

// Echo: every item answered with an equal one, as it comes.
export async function* Echo(requests) {
  for await (const item of requests) yield item;
}
