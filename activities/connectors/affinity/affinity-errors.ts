import { ConnectorError, describeNonJsonBody, excerpt, kindForStatus } from '../connector-error.ts';
import type { FailedResponse } from '../http/http-client.ts';
import { MERGED, QUOTA_EXCEEDED } from '../../../shared/error-kinds.ts';

const MERGED_MESSAGE = /(\d+)\s+no longer exists as it has been merged into\s+(\d+)/i;

/**
 * Affinity's error body is not documented: `{errors: [string | {message, param}]}`, else `message`.
 * Only those strings, as a short excerpt, reach tenants; a body that is not JSON is described, not shown.
 */
export function affinityErrorMessage(body: unknown): string {
  if (typeof body === 'string') return describeNonJsonBody(body);
  if (body && typeof body === 'object') {
    const { errors, message } = body as { errors?: unknown; message?: unknown };
    if (Array.isArray(errors) && errors.length > 0) {
      const texts = errors.map((e) => (typeof e === 'string' ? e : typeof (e as { message?: unknown } | null)?.message === 'string' ? (e as { message: string }).message : ''));
      const joined = texts.filter(Boolean).join('; ');
      if (joined) return excerpt(joined);
    }
    if (typeof message === 'string') return excerpt(message);
  }
  return 'no error message';
}

/** Parses Affinity's merged-entity message into the merged and surviving ids. */
export function parseMergedMessage(message: string): { mergedId: string; mergedInto: string } | null {
  const m = MERGED_MESSAGE.exec(message);
  return m?.[1] && m[2] ? { mergedId: m[1], mergedInto: m[2] } : null;
}

/**
 * Affinity-specific classification: 422 "merged into" → merged (with the surviving id), a 429
 * while the monthly org pool is empty → quota_exceeded (waiting seconds will not help).
 */
export function classifyAffinityError(failed: FailedResponse, orgRemaining: number | undefined): ConnectorError {
  const apiMessage = affinityErrorMessage(failed.body);
  const where = `Affinity ${failed.method} ${failed.path} → ${failed.status}`;
  const merged = failed.status === 422 || failed.status === 404 ? parseMergedMessage(apiMessage) : null;
  if (merged) {
    return new ConnectorError({ kind: MERGED, status: failed.status, message: `${where}: ${apiMessage}`, details: { ...merged } });
  }
  if (failed.status === 429 && orgRemaining === 0) {
    return new ConnectorError({ kind: QUOTA_EXCEEDED, status: 429, retryAfterMs: failed.retryAfterMs, message: `${where}: monthly API quota exhausted (${apiMessage})` });
  }
  return new ConnectorError({ kind: kindForStatus(failed.status), status: failed.status, retryAfterMs: failed.retryAfterMs, message: `${where}: ${apiMessage}` });
}
