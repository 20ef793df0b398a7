import { KEY } from '../contract.ts';
import type { PsRecord } from '../contract.ts';
import { VALIDATION } from '../../../../shared/error-kinds.ts';
import { isConnectorError } from '../../../connectors/connector-error.ts';
import type { PsClient } from './ps-client.ts';
import { decodeCursor, encodeCursor } from './ps-cursor.ts';
import { PS_PAGE } from './ps-pages.ts';
import { groupOf } from './ps-records.ts';
import type { PsSkipped, PsSourcePage } from './ps-source-types.ts';
import type { RawScimGroup } from './ps-types.ts';

export const SCIM_ABSENT_WARNING = 'Process Street SCIM is not available to this API key (an Enterprise add-on): no groups were read';

/** SCIM answering 401/403/404: the key (or the plan) has no SCIM, which is zero groups, not a failure. */
export function scimAbsent(error: unknown): boolean {
  return isConnectorError(error) && (error.status === 401 || error.status === 403 || error.status === 404);
}

/**
 * SCIM groups, `startIndex` (1-based) + `count` pages of `Resources`, stopping at an empty page as the
 * reference's clients do. The next `startIndex` advances by what a page held, so a server that
 * answers fewer than `count` skips nothing.
 */
export async function readGroups(client: PsClient, cursor: string | null, wanted: number, signal?: AbortSignal): Promise<PsSourcePage> {
  const records: PsRecord[] = [];
  const skipped: PsSkipped[] = [];
  let start = 1;
  if (cursor !== null) {
    const c = decodeCursor(cursor);
    start = 's' in c ? c.s : 1;
  }
  let read = 0;
  for (;;) {
    let body: { Resources?: unknown };
    try {
      body = await client.getScim<{ Resources?: unknown }>('/Groups', [['startIndex', start], ['count', PS_PAGE]], signal);
    } catch (error) {
      if (scimAbsent(error)) return { records: [], skipped: [], nextCursor: null, warnings: [SCIM_ABSENT_WARNING] };
      throw error;
    }
    const items = Array.isArray(body?.Resources) ? (body.Resources as RawScimGroup[]) : [];
    if (items.length === 0) return { records, skipped, nextCursor: null, warnings: [] };
    for (const raw of items) {
      const group = groupOf(raw ?? {});
      if (group.ok) records.push(group.value);
      else skipped.push({ source: { kind: KEY.group, id: typeof raw?.id === 'string' ? raw.id : 'unknown' }, kind: VALIDATION, reason: group.reason });
    }
    start += items.length;
    read += items.length;
    if (read + PS_PAGE > wanted) return { records, skipped, nextCursor: encodeCursor({ s: start }), warnings: [] };
  }
}
