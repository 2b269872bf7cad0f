// Handlers for the mapping tests (proto: everything.proto, legacy.proto).
const bigints = (k, v) => (typeof v === 'bigint' ? v + 'n' : v);
const describe = (r) => (r instanceof Date ? 'Date ' + r.toISOString()
    : r instanceof Uint8Array ? 'Uint8Array ' + Array.from(r)
    : (r === null ? 'null' : typeof r) + ' ' + JSON.stringify(r, bigints));

export function Echo(r) { return r; }
// The request is a StringValue, so `src` is a string: a JS expression whose value is returned.
export function Make(src) { return (0, eval)('(' + src + ')'); }
export function Inspect({ all, expr }) { return String(new Function('r', 'describe', 'return (' + expr + ');')(all, describe)); }

export const EchoTimestamp = Echo;
export const EchoDuration = Echo;
export const EchoInt64Value = Echo;
export const EchoStruct = Echo;
export const EchoValue = Echo;
export const EchoListValue = Echo;
export const EchoEmpty = Echo;
export const EchoAny = Echo;
export const EchoFieldMask = Echo;
export const DescribeTimestamp = describe;
export const DescribeValue = describe;
export const DescribeInt64Value = describe;
export const DescribeEmpty = describe;
export const EchoLegacy = Echo;
export const MakeLegacy = Make;
