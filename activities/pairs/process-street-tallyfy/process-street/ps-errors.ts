import { ConnectorError, describeNonJsonBody, excerpt, kindForStatus } from '../../../connectors/connector-error.ts';
import type { FailedResponse } from '../../../connectors/http/http-client.ts';
import { AUTH, CONFIG, NOT_FOUND, RATE_LIMITED, TRANSIENT, VALIDATION, type ErrorKind } from '../../../../shared/error-kinds.ts';

/**
 * The ErrorInfo `errorCode`s of the vendor's OpenAPI file and what each means for a reader. A
 * PaymentRequired key (the plan has no API access) and a method we should never send are the
 * connection's or our configuration's problem: no retry helps until a human acts.
 */
const KIND_OF_CODE: Record<string, ErrorKind> = {
  BadRequest: VALIDATION,
  Unauthorized: AUTH,
  PaymentRequired: CONFIG,
  Forbidden: AUTH,
  NotFound: NOT_FOUND,
  MethodNotAllowed: CONFIG,
  Conflict: VALIDATION,
  PayloadTooLarge: VALIDATION,
  Validation: VALIDATION,
  RateLimited: RATE_LIMITED,
  InternalError: TRANSIENT,
};

/** The documented `errorCode` of an ErrorInfo body, or null (unknown codes are never echoed). */
export function psErrorCode(body: unknown): string | null {
  const code = (body as { errorCode?: unknown } | null)?.errorCode;
  return typeof code === 'string' && Object.hasOwn(KIND_OF_CODE, code) ? code : null;
}

/**
 * The API's own words as a short single-line excerpt. Bad query/body params answer 400 in plain
 * text, and parse or routing failures may lack `errorCode`: a body that is not JSON is described by
 * its size, never shown (whatever answered may not be Process Street).
 */
export function psErrorMessage(body: unknown): string {
  if (typeof body === 'string') return describeNonJsonBody(body);
  const error = (body as { error?: unknown } | null)?.error;
  return typeof error === 'string' && error.trim() !== '' ? excerpt(error) : 'no error message';
}

/**
 * Process Street classification: the status decides for 429 and 5xx (retryable whatever the body
 * says); otherwise the documented `errorCode`, else the status. 402 (PaymentRequired) is config,
 * not auth: the key is fine, the plan lacks the API. `details` keeps only the documented code and
 * the names of the fields `details` complains about (not their texts).
 */
export function classifyPsError(failed: FailedResponse): ConnectorError {
  const code = psErrorCode(failed.body);
  const kind = kindOf(failed.status, code);
  const fieldNames = fieldPaths(failed.body);
  const plainText = typeof failed.body === 'string' && failed.status === 400 ? ' (plain-text 400: invalid query or body parameters)' : '';
  return new ConnectorError({
    kind, status: failed.status, retryAfterMs: failed.retryAfterMs,
    message: `Process Street ${failed.method} ${failed.path} → ${failed.status}${code ? ` ${code}` : ''}: ${psErrorMessage(failed.body)}${plainText}`,
    details: { ...(code ? { errorCode: code } : {}), ...(fieldNames.length > 0 ? { fields: fieldNames } : {}) },
  });
}

function kindOf(status: number, code: string | null): ErrorKind {
  if (status === 429 || status >= 500) return kindForStatus(status);
  if (status === 402) return CONFIG;
  if (code) return KIND_OF_CODE[code] ?? kindForStatus(status);
  return kindForStatus(status);
}

/** Field paths of ErrorInfo `details`, short and of plain characters only (they are attacker input too). */
function fieldPaths(body: unknown): string[] {
  const details = (body as { details?: unknown } | null)?.details;
  if (!details || typeof details !== 'object' || Array.isArray(details)) return [];
  return Object.keys(details).filter((k) => /^[\w.[\]-]{1,80}$/.test(k)).slice(0, 10);
}
