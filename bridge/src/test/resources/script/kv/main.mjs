// The KV example plugin: values are files in the plugin's working directory.
import { fileFor } from './keys.mjs';

export function Put(request) {
  fs.writeFileSync(fileFor(request.key), request.value);
}

export function Get(request) {
  try {
    return { value: fs.readFileSync(fileFor(request.key)) };
  } catch (e) {
    if (e.code === 'ENOENT') {
      throw new RpcError('NOT_FOUND', `no value for key ${request.key}`);
    }
    throw e;
  }
}
