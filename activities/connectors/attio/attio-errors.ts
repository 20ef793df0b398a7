import { ConnectorError, describeNonJsonBody, excerpt, kindForStatus } from '../connector-error.ts';
import type { FailedResponse } from '../http/http-client.ts';
import { QUOTA_EXCEEDED, VALIDATION } from '../../../shared/error-kinds.ts';

export interface AttioErrorBody {
  status_code?: number;
  type?: string;
  code?: string;
  message?: string;
}

/** Attio error code of a ConnectorError raised by this connector (e.g. `slug_conflict`). */
export function attioCode(error: ConnectorError): string | undefined {
  const code = error.details.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Attio classification on top of the status: billing problems and quotas are not fixed by waiting;
 * 409 (slug_conflict, unique conflicts) and 413 (note too large) are record-level validation.
 * The Attio `code` always goes into details so callers can branch on it.
 */
export function classifyAttioError(failed: FailedResponse): ConnectorError {
  const body = (failed.body && typeof failed.body === 'object' ? failed.body : {}) as AttioErrorBody;
  // Attio's codes are short snake_case words; anything else is not echoed.
  const code = typeof body.code === 'string' && /^[a-z0-9_]{1,64}$/.test(body.code) ? body.code : undefined;
  const apiMessage = typeof body.message === 'string' ? excerpt(body.message) : typeof failed.body === 'string' ? describeNonJsonBody(failed.body) : 'no error message';
  const message = `Attio ${failed.method} ${failed.path} → ${failed.status}${code ? ` ${code}` : ''}: ${apiMessage}`;
  let kind = kindForStatus(failed.status);
  if (code === 'billing_error' || code === 'quota_exceeded') kind = QUOTA_EXCEEDED;
  else if (failed.status === 409 || failed.status === 413) kind = VALIDATION;
  return new ConnectorError({ kind, status: failed.status, retryAfterMs: failed.retryAfterMs, message, details: code ? { code } : {} });
}
