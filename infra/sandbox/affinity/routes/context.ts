import type { JsonReply } from '../../core/respond.ts';
import type { RouteParams } from '../../core/router.ts';
import type { AffinityAccount, RecordKind } from '../../generator/index.ts';
import { AffinityApiError, mergedError, notFound } from '../errors.ts';
import type { AffinityRateLimiter } from '../rate-limit.ts';

export interface AffinityRouteContext {
  account: AffinityAccount;
  params: RouteParams;
  query: URLSearchParams;
  /** Request path without the query, part of page-token signatures. */
  path: string;
  principal: string;
  limiter: AffinityRateLimiter;
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

/** Index of a live record, or the v1 error: 422 for a merged id, 404 otherwise. */
export function resolveIndex(account: AffinityAccount, kind: RecordKind, id: number): number {
  const index = account.indexOf(kind, id);
  if (index !== undefined) return index;
  if (kind === 'person' || kind === 'organization') {
    const into = account.mergedInto(kind, id);
    if (into !== undefined) throw mergedError(id, into);
  }
  throw notFound(LABEL[kind]);
}
