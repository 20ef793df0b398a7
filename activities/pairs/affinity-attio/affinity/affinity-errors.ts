import { ConnectorError, describeNonJsonBody, excerpt, kindForStatus } from '../../../connectors/connector-error.ts';
import type { FailedResponse } from '../../../connectors/http/http-client.ts';
import { AUTH, NOT_FOUND, QUOTA_EXCEEDED, RATE_LIMITED, TRANSIENT, VALIDATION, type ErrorKind } from '../../../../shared/error-kinds.ts';

/**
 * The v2 spec's error codes (`components/schemas/*Error`, discriminator `code`) and what each means
 * for a reader. A code the spec does not list is classified by status alone.
 */
const KIND_OF_V2_CODE: Record<string, ErrorKind> = {
  authentication: AUTH,
  authorization: AUTH,
  'not-found': NOT_FOUND,
  'rate-limit': RATE_LIMITED,
  server: TRANSIENT,
  validation: VALIDATION,
  'bad-request': VALIDATION,
  'unprocessable-entity': VALIDATION,
  conflict: VALIDATION,
  'method-not-allowed': VALIDATION,
  'not-acceptable': VALIDATION,
  'unsupported-media-type': VALIDATION,
  'not-implemented': VALIDATION,
};

/** The first v2 error `code` of a body, when it is one the spec lists. */
export function affinityV2ErrorCode(body: unknown): string | null {
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return null;
  const code = (errors[0] as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code in KIND_OF_V2_CODE ? code : null;
}

/**
 * The API's own words, as a short excerpt: v2 `{errors: [{code, message, param?}]}`; v1's body is
 * not documented, clients read `{errors: [string | {message}]}` or `message`. A body that is not
 * JSON is described, not shown.
 */
export function affinityErrorMessage(body: unknown): string {
  if (typeof body === 'string') return describeNonJsonBody(body);
  if (body && typeof body === 'object') {
    const { errors, message } = body as { errors?: unknown; message?: unknown };
    if (Array.isArray(errors) && errors.length > 0) {
      const texts = errors.map((e) => {
        if (typeof e === 'string') return e;
        const item = e as { message?: unknown; param?: unknown } | null;
        if (typeof item?.message !== 'string') return '';
        return typeof item.param === 'string' ? `${item.message} (${item.param})` : item.message;
      });
      const joined = texts.filter(Boolean).join('; ');
      if (joined) return excerpt(joined);
    }
    if (typeof message === 'string') return excerpt(message);
  }
  return 'no error message';
}

/**
 * Affinity classification by status and, on v2, the spec's error `code`; never by message wording
 * (it is not part of any published contract). A 429 while the monthly org pool is empty is
 * quota_exceeded: waiting seconds will not help. A merged entity answers like any deleted one
 * (404); the source asks the documented merge endpoints whether it was merged (affinity-merges.ts).
 */
export function classifyAffinityError(failed: FailedResponse, orgRemaining: number | undefined): ConnectorError {
  const apiMessage = affinityErrorMessage(failed.body);
  const where = `Affinity ${failed.method} ${failed.path} → ${failed.status}`;
  const code = affinityV2ErrorCode(failed.body);
  if (failed.status === 429 && orgRemaining === 0) {
    return new ConnectorError({ kind: QUOTA_EXCEEDED, status: 429, retryAfterMs: failed.retryAfterMs, message: `${where}: monthly API quota exhausted (${apiMessage})` });
  }
  // The status decides retryability for 429/5xx whatever the code says; the code refines 4xx.
  const kind = failed.status === 429 || failed.status >= 500 || !code ? kindForStatus(failed.status) : (KIND_OF_V2_CODE[code] ?? kindForStatus(failed.status));
  return new ConnectorError({
    kind, status: failed.status, retryAfterMs: failed.retryAfterMs,
    message: `${where}: ${apiMessage}`,
    ...(code ? { details: { code } } : {}),
  });
}
