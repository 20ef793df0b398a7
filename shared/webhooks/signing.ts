import { createHmac, randomBytes } from 'node:crypto';

/**
 * A new signing secret: `whsec_` and 32 random bytes (base64url). Receivers use the whole string,
 * as UTF-8, as the HMAC key.
 */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/**
 * The `Freight-Signature` header of a body sent at `timestampSec`:
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. The timestamp is signed with
 * the body, so a captured delivery cannot be replayed later than the receiver's tolerance.
 */
export function signatureHeader(secret: string, timestampSec: number, rawBody: string | Buffer): string {
  const t = String(Math.floor(timestampSec));
  const v1 = createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest('hex');
  return `t=${t},v1=${v1}`;
}
