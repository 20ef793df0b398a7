import { reply, type Headers, type JsonReply } from '../core/respond.ts';
import { textReply } from './raw-replies.ts';

/** `errorCode` → status, as the OpenAPI file's ErrorInfo lists them (reference "Errors"). */
export const ERROR_CODE_BY_STATUS: Record<number, string> = {
  400: 'BadRequest', 401: 'Unauthorized', 402: 'PaymentRequired', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed',
  409: 'Conflict', 413: 'PayloadTooLarge', 422: 'Validation', 429: 'RateLimited', 500: 'InternalError',
};

let requestCounter = 0;

/**
 * ErrorInfo `{error, errorCode, requestId}`. The reference maps only 500 among server errors; an injected
 * 502/503 also says InternalError (inferred: a gateway error may well carry no body at all).
 */
export function errorInfo(status: number, message: string, headers?: Headers): JsonReply {
  requestCounter += 1;
  const errorCode = ERROR_CODE_BY_STATUS[status] ?? (status >= 500 ? 'InternalError' : 'BadRequest');
  return reply(status, { error: message, errorCode, requestId: `sandbox-${Date.now().toString(36)}-${requestCounter}` }, headers);
}

/** Thrown by handlers; the surface turns it into ErrorInfo. */
export class ProcessStreetApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'ProcessStreetApiError';
  }
}

/**
 * A query parameter the API cannot decode. The real API answers these before its own logic, as a
 * plain-text 400 without ErrorInfo (reference "Errors": "Invalid value for: query parameters").
 */
export class InvalidQueryError extends Error {
  constructor(readonly param: string) {
    super('Invalid value for: query parameters');
    this.name = 'InvalidQueryError';
  }
}

export const notFound = (what: string) => new ProcessStreetApiError(404, `${what} not found`);

export const invalidQueryReply = () => textReply(400, 'Invalid value for: query parameters');
