import { ConnectorError, describeNonJsonBody, excerpt, kindForStatus } from '../../../connectors/connector-error.ts';
import type { FailedResponse } from '../../../connectors/http/http-client.ts';
import { AUTH, NOT_FOUND, QUOTA_EXCEEDED, RATE_LIMITED, VALIDATION, type ErrorKind } from '../../../../shared/error-kinds.ts';

/** Tallyfy's error body (tallyfy-api.md, Errors): `{error, message, errors: {field: [msg]}, code}`. */
interface TallyfyErrorBody {
  error?: unknown;
  message?: unknown;
  errors?: unknown;
  code?: unknown;
}

/** The codes the reference documents; others are named in the message but never branched on. */
const DOCUMENTED_CODES: ReadonlySet<string> = new Set(['ENDPOINT_NOT_FOUND', 'RESOURCE_NOT_FOUND', 'RATE_LIMIT_EXCEEDED', 'SEAT_POOL_EXHAUSTED']);

/** At most this many fields (and messages per field) reach an error's details. */
const MAX_FIELDS = 20;

/** The field messages of a 422 (`errors: {field: [msg]}`), excerpted: they reach tenant-visible logs. */
export function fieldMessages(body: unknown): Record<string, string[]> {
  const errors = body && typeof body === 'object' ? (body as TallyfyErrorBody).errors : undefined;
  if (!errors || typeof errors !== 'object' || Array.isArray(errors)) return {};
  const out: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(errors as Record<string, unknown>).slice(0, MAX_FIELDS)) {
    const list = Array.isArray(messages) ? messages : [messages];
    out[excerpt(field, 64)] = list.filter((m): m is string => typeof m === 'string').slice(0, 5).map((m) => excerpt(m));
  }
  return out;
}

/**
 * Tallyfy classification by status: 422 → validation (with the field messages), 404 → not_found,
 * 401 → auth, 403 → auth with `details.permission` (the token works but may not do this), 429 →
 * rate_limited, 409 `SEAT_POOL_EXHAUSTED` → quota_exceeded. Only the API's `message` (excerpted) and
 * documented codes are echoed; a body that is not JSON (a proxy, an unknown host) is described by its size.
 */
export function classifyTallyfyError(failed: FailedResponse): ConnectorError {
  const body = (failed.body && typeof failed.body === 'object' ? failed.body : {}) as TallyfyErrorBody;
  const code = typeof body.code === 'string' && DOCUMENTED_CODES.has(body.code) ? body.code : undefined;
  const fields = failed.status === 422 ? fieldMessages(failed.body) : {};
  const fieldText = Object.entries(fields).map(([f, ms]) => `${f}: ${ms.join('; ')}`).join(' | ');
  const apiMessage = typeof body.message === 'string' ? excerpt(body.message)
    : typeof body.error === 'string' ? excerpt(body.error)
      : typeof failed.body === 'string' ? describeNonJsonBody(failed.body) : 'no error message';
  const message = `Tallyfy ${failed.method} ${failed.path} → ${failed.status}${code ? ` ${code}` : ''}: ${apiMessage}${fieldText ? ` (${excerpt(fieldText)})` : ''}`;
  return new ConnectorError({
    kind: kindOf(failed.status, code),
    status: failed.status,
    retryAfterMs: failed.retryAfterMs,
    message,
    details: {
      ...(code ? { code } : {}),
      ...(Object.keys(fields).length > 0 ? { fields } : {}),
      ...(failed.status === 403 ? { permission: true } : {}),
    },
  });
}

function kindOf(status: number, code: string | undefined): ErrorKind {
  if (status === 429) return RATE_LIMITED;
  if (status === 401 || status === 403) return AUTH;
  if (status === 404) return NOT_FOUND;
  if (status === 409 && code === 'SEAT_POOL_EXHAUSTED') return QUOTA_EXCEEDED;
  if (status === 409 || status === 413 || status === 422) return VALIDATION;
  return kindForStatus(status);
}
