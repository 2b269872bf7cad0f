// bench.Bench/Fetch for the bridge: GET the JSON document at url (the driver's local HTTP server, which
// fetch.plugin.json grants) and answer with its name. The same handler as bench/speed/peers/node/fetch.js.

export async function Fetch({ url }) {
  const response = await fetch(url);
  if (!response.ok) throw new RpcError("UNAVAILABLE", `GET ${url}: ${response.status}`);
  const { name } = await response.json();
  return { name };
}
