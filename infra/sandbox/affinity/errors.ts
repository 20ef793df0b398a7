import { reply, type Headers, type JsonReply } from '../core/respond.ts';

/**
 * Affinity v1 error body. The reference marks the exact shape UNCONFIRMED; clients parse
 * {"errors": [{message, param?}]}, which is what the sandbox always sends.
 */
export function affinityError(status: number, message: string, param?: string, headers?: Headers): JsonReply {
  return reply(status, { errors: [param === undefined ? { message } : { message, param }] }, headers);
}

/** Thrown by handlers; the surface turns it into an error reply. */
export class AffinityApiError extends Error {
  constructor(readonly status: number, message: string, readonly param?: string) {
    super(message);
    this.name = 'AffinityApiError';
  }
}

export const notFound = (what: string) => new AffinityApiError(404, `${what} not found`);

export const mergedError = (id: number, into: number) => new AffinityApiError(422, `${id} no longer exists as it has been merged into ${into}`);
