import { hashInts } from '../../../core/prng.ts';
import { reply } from '../../../core/respond.ts';
import type { Router } from '../../../core/router.ts';
import type { AffinityAccount } from '../../../generator/index.ts';
import type { AffinityRoute } from '../../context.ts';
import { AffinityApiError, notFound } from '../../errors.ts';
import { cursorPageOf, parseCursor } from '../cursor.ts';
import { parseV2Id } from './entities.ts';

/**
 * GET /v2/person-merges, /v2/company-merges and their single GETs (spec: PersonMergeState,
 * CompanyMergeState). Each generated merged id is one finished merge of that duplicate into its
 * primary: the documented way to learn that an id was merged, and into what. Most recent first.
 */
const MERGE_LIMIT = { defaultLimit: 25, min: 1 };
const DAY = 86_400_000;
const LAST_MERGE = Date.UTC(2024, 11, 1);

function uuidOf(...parts: number[]): string {
  const hex = Array.from({ length: 4 }, (_, k) => hashInts(...parts, k).toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function mergeState(account: AffinityAccount, kind: 'person' | 'organization', k: number): Record<string, unknown> {
  const ids = account.mergedIds(kind);
  const duplicate = ids[k] as number;
  const primary = account.mergedInto(kind, duplicate) as number;
  // Merge k happened k days before the last one: position 0 of the listing is the newest.
  const started = LAST_MERGE - k * DAY;
  const base = {
    id: k + 1, status: 'success', taskId: uuidOf(account.seed, kind === 'person' ? 1 : 2, k),
    startedAt: new Date(started).toISOString(), completedAt: new Date(started + 42_000).toISOString(), errorMessage: null,
  };
  return kind === 'person' ? { ...base, primaryPersonId: primary, duplicatePersonId: duplicate } : { ...base, primaryCompanyId: primary, duplicateCompanyId: duplicate };
}

/**
 * The spec's `filter` here: `status=<in-progress|success|failed>` or `taskId=<uuid>`. Every generated
 * merge succeeded, so a status filter keeps all or none; other expressions are refused, not ignored.
 */
function filtered(account: AffinityAccount, kind: 'person' | 'organization', filter: string | null): number[] {
  const all = account.mergedIds(kind).map((_, k) => k);
  if (filter === null) return all;
  const m = /^\s*(status|taskId)\s*=\s*"?([\w-]+)"?\s*$/.exec(filter);
  if (!m) throw new AffinityApiError(400, 'filter must be status=<status> or taskId=<id> in the sandbox', 'filter');
  if (m[1] === 'status') {
    if (!['in-progress', 'success', 'failed'].includes(m[2] as string)) throw new AffinityApiError(400, 'status must be in-progress, success or failed', 'filter');
    return m[2] === 'success' ? all : [];
  }
  return all.filter((k) => mergeState(account, kind, k).taskId === m[2]);
}

export function addV2MergeRoutes(router: Router<AffinityRoute>): void {
  for (const [path, kind] of [['person-merges', 'person'], ['company-merges', 'organization']] as const) {
    router.add('GET', `/v2/${path}`, ({ account, query, path: p, baseUrl }) => {
      const page = parseCursor(p, query, MERGE_LIMIT);
      const merges = filtered(account, kind, page.query.get('filter'));
      return reply(200, cursorPageOf(baseUrl, p, page, merges.length, (k) => mergeState(account, kind, merges[k] as number)));
    });
    router.add('GET', `/v2/${path}/:mergeId`, ({ account, params }) => {
      const k = parseV2Id(params.mergeId, 'mergeId') - 1;
      if (k >= account.mergedIds(kind).length) throw notFound('Merge');
      return reply(200, mergeState(account, kind, k));
    });
  }
}
