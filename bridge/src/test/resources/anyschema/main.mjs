// Handlers for the Any tests (proto: envelopes.proto, shapes.proto).
const show = (v) => JSON.stringify(v, (k, x) => (x instanceof Uint8Array ? 'bytes ' + Array.from(x) : x));

// Echoes the payload, and says in `note` how JavaScript saw it.
export function Echo({ payload }) {
  return { payload, note: show(payload) };
}

// Packs a nested type of shapes.proto, labelled with the request's note.
export function Label({ note }) {
  return { payload: { '@type': 'type.googleapis.com/shapes.Point.Label', text: note } };
}
