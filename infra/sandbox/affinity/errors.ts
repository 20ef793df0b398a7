import { reply, type Headers, type JsonReply } from '../core/respond.ts';

/** Which API generation a request addressed: their error bodies differ. */
export type AffinityVersion = 'v1' | 'v2';

export const versionOf = (segments: readonly string[]): AffinityVersion => (segments[0] === 'v2' ? 'v2' : 'v1');

/**
 * Affinity v1 error body. The v1 docs list only the statuses; clients parse
 * {"errors": [{message, param?}]}, which is what the sandbox always sends.
 */
export function affinityError(status: number, message: string, param?: string, headers?: Headers): JsonReply {
  return reply(status, { errors: [param === undefined ? { message } : { message, param }] }, headers);
}

/**
 * v2 error codes by status, from the spec's `Error` discriminator (`components/schemas/Error`): each code
 * is the one the spec pairs with that status; a 400 naming a parameter is a `validation` error.
 */
const V2_CODE: Record<number, string> = {
  400: 'bad-request', 401: 'authentication', 403: 'authorization', 404: 'not-found', 405: 'method-not-allowed',
  409: 'conflict', 415: 'unsupported-media-type', 422: 'unprocessable-entity', 429: 'rate-limit', 501: 'not-implemented',
};

export function v2ErrorCode(status: number, param?: string): string {
  if (status === 400 && param !== undefined) return 'validation';
  return V2_CODE[status] ?? (status >= 500 ? 'server' : 'bad-request');
}

/** v2 error body `{errors: [{code, message, param?}]}`; `param` only on `validation` errors, where the spec requires it. */
export function affinityV2Error(status: number, message: string, param?: string, headers?: Headers): JsonReply {
  const code = v2ErrorCode(status, param);
  return reply(status, { errors: [code === 'validation' ? { code, message, param } : { code, message }] }, headers);
}

export function errorFor(version: AffinityVersion, status: number, message: string, param?: string, headers?: Headers): JsonReply {
  return version === 'v2' ? affinityV2Error(status, message, param, headers) : affinityError(status, message, param, headers);
}

/** Thrown by handlers; the surface turns it into an error reply of the request's version. */
export class AffinityApiError extends Error {
  constructor(readonly status: number, message: string, readonly param?: string) {
    super(message);
    this.name = 'AffinityApiError';
  }
}

export const notFound = (what: string) => new AffinityApiError(404, `${what} not found`);
