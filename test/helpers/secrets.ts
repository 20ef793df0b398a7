import { randomInt } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A random secret in Freight's key format, so the log scrubber and the secret scan recognise it. */
export function generateApiKeyLike(env: 'live' | 'test' = 'test'): string {
  let body = '';
  for (let i = 0; i < 32; i += 1) body += BASE62[randomInt(62)];
  return `frt_${env}_${body}`;
}
