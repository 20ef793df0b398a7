/**
 * Attio's error body `{status_code, type, code, message}`. The spec shows, per operation, a few statuses
 * each with one `type` and one `code`: an answer with such a status must carry exactly that pair. Any
 * other error status (401, 413, 429, 5xx, or e.g. a 400 on an operation whose spec shows no 400) may
 * carry the same shape with a code the spec does not name: a client must classify those by status and
 * `type` only, so the contract holds them to the shape, not to a code.
 */
import { object, string, type Schema } from './common.ts';

/** Error `type`s: the spec's two, and `rate_limit_error` from Attio's rate-limiting guide. */
export const ERROR_TYPES = ['invalid_request_error', 'auth_error', 'rate_limit_error'] as const;

export interface DocumentedError {
  type: (typeof ERROR_TYPES)[number];
  code: string;
}

export const invalid = (code: string): DocumentedError => ({ type: 'invalid_request_error', code });

export function documentedError(status: number, error: DocumentedError): Schema {
  return object({ status_code: { const: status }, type: { const: error.type }, code: { const: error.code }, message: string });
}

/** An error status the operation's spec does not show. Server errors may come from any layer: only the status is promised. */
export function genericError(status: number): Schema {
  return object({ status_code: { const: status }, type: status >= 500 ? string : { enum: ERROR_TYPES }, code: string, message: string });
}
