import type { JsonReply } from '../core/respond.ts';
import type { RouteParams } from '../core/router.ts';
import type { AffinityAccount, RecordKind } from '../generator/index.ts';
import { AffinityApiError, notFound } from './errors.ts';
import type { AffinityRateLimiter } from './rate-limit.ts';

export interface AffinityRouteContext {
  account: AffinityAccount;
  params: RouteParams;
  query: URLSearchParams;
  /** Request path without the query, part of page-token signatures. */
  path: string;
  principal: string;
  limiter: AffinityRateLimiter;
  /** Scheme and host the client called (v2 pagination URLs are absolute). */
  baseUrl: string;
}

export type AffinityRoute = (ctx: AffinityRouteContext) => JsonReply;

export function parseId(raw: string | null | undefined, param = 'id'): number {
  const id = Number(raw);
  if (raw === null || raw === undefined || raw === '' || !Number.isSafeInteger(id) || id < 0) {
    throw new AffinityApiError(422, `${param} must be an integer`, param);
  }
  return id;
}

const LABEL: Record<RecordKind, string> = { person: 'Person', organization: 'Organization', opportunity: 'Opportunity', note: 'Note' };

/**
 * Index of a live record, or 404. A merged duplicate is gone like a deleted record: the v2 spec says the
 * duplicate "will be merged and then deleted", and neither version documents another answer for its id.
 * Who was merged into whom is published by GET /v2/person-merges and /v2/company-merges.
 */
export function resolveIndex(account: AffinityAccount, kind: RecordKind, id: number): number {
  const index = account.indexOf(kind, id);
  if (index !== undefined) return index;
  throw notFound(LABEL[kind]);
}
