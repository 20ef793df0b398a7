import { ConnectorError, describeNonJsonBody, excerpt, kindForStatus } from '../../../connectors/connector-error.ts';
import type { FailedResponse } from '../../../connectors/http/http-client.ts';
import { AUTH, QUOTA_EXCEEDED, VALIDATION, type ErrorKind } from '../../../../shared/error-kinds.ts';

export interface AttioErrorBody {
  status_code?: number;
  type?: string;
  code?: string;
  message?: string;
}

/**
 * The error codes Attio's OpenAPI document shows (one per documented status of an operation). Attio
 * sends others too, undocumented: those are logged in the message but never branched on, nor kept in
 * details, so no caller can come to depend on them.
 */
export const DOCUMENTED_ATTIO_CODES: ReadonlySet<string> = new Set([
  'not_found', 'value_not_found', 'validation_type', 'missing_value', 'filter_error', 'immutable_value', 'multiple_match_results',
  'slug_conflict', 'system_edit_unauthorized', 'billing_error',
]);

/** The error types of the spec, and `rate_limit_error` of Attio's rate-limiting guide. */
const ERROR_TYPES: ReadonlySet<string> = new Set(['invalid_request_error', 'auth_error', 'rate_limit_error']);

/** Attio error code of a ConnectorError raised by this connector, when it is one the spec documents (e.g. `slug_conflict`). */
export function attioCode(error: ConnectorError): string | undefined {
  const code = error.details.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Attio classification: by HTTP status, refined by the body's `type`. A 403 `billing_error` (the one
 * documented 403) is a spent plan, not a credential problem; 409 (`slug_conflict`) and 413 (a body or
 * note too large) reject the record, not the credentials or the batch; an `auth_error` on any 4xx is
 * the credentials' problem, not the record's. Codes go into details only when the spec documents them.
 */
export function classifyAttioError(failed: FailedResponse): ConnectorError {
  const body = (failed.body && typeof failed.body === 'object' ? failed.body : {}) as AttioErrorBody;
  // Attio's codes are short snake_case words; anything else is not echoed.
  const shown = typeof body.code === 'string' && /^[a-z0-9_]{1,64}$/.test(body.code) ? body.code : undefined;
  const code = shown && DOCUMENTED_ATTIO_CODES.has(shown) ? shown : undefined;
  const type = typeof body.type === 'string' && ERROR_TYPES.has(body.type) ? body.type : undefined;
  const apiMessage = typeof body.message === 'string' ? excerpt(body.message) : typeof failed.body === 'string' ? describeNonJsonBody(failed.body) : 'no error message';
  const message = `Attio ${failed.method} ${failed.path} → ${failed.status}${shown ? ` ${shown}` : ''}: ${apiMessage}`;
  return new ConnectorError({
    kind: kindOf(failed.status, type, code),
    status: failed.status,
    retryAfterMs: failed.retryAfterMs,
    message,
    details: { ...(type ? { type } : {}), ...(code ? { code } : {}) },
  });
}

function kindOf(status: number, type: string | undefined, code: string | undefined): ErrorKind {
  if (status === 403 && code === 'billing_error') return QUOTA_EXCEEDED;
  if (type === 'auth_error' && status >= 400 && status < 500) return AUTH;
  if (status === 409 || status === 413) return VALIDATION;
  return kindForStatus(status);
}
