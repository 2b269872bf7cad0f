export function fileFor(key) {
  return 'kv_' + key;
}
