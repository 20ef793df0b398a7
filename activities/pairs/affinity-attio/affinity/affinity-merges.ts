import type { AffinityClient } from './affinity-client.ts';
import type { V2MergeState, V2Paged } from './affinity-v2-types.ts';

/** Pages of merges read per kind at most (most recent first, 100 each). */
const MAX_MERGE_PAGES = 20;

export interface MergeLookup {
  /** The surviving id of a person/organization merged away, or null when no finished merge names it. */
  survivorOf(kind: 'person' | 'organization', id: number, signal?: AbortSignal): Promise<number | null>;
}

/**
 * Merged entities from the documented merge endpoints (`GET /v2/person-merges`,
 * `/v2/company-merges`, filter `status=success`): a merged entity answers 404 like a deleted one,
 * and only these records say which it was. Read once per kind and source, only after a 404.
 */
export function createMergeLookup(client: AffinityClient): MergeLookup {
  const cache = new Map<'person' | 'organization', Promise<Map<number, number>>>();

  async function load(kind: 'person' | 'organization', signal?: AbortSignal): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    const path = kind === 'person' ? '/v2/person-merges' : '/v2/company-merges';
    let page = await client.getV2<V2Paged<V2MergeState>>(path, [['filter', 'status=success'], ['limit', 100]], signal);
    for (let n = 1; ; n += 1) {
      for (const m of page.data ?? []) {
        const dup = kind === 'person' ? m.duplicatePersonId : m.duplicateCompanyId;
        const primary = kind === 'person' ? m.primaryPersonId : m.primaryCompanyId;
        if (m.status === 'success' && dup !== undefined && primary !== undefined && !out.has(dup)) out.set(dup, primary);
      }
      const next = page.pagination.nextUrl;
      if (!next || n >= MAX_MERGE_PAGES) return out;
      page = await client.getNext<V2Paged<V2MergeState>>(next, signal);
    }
  }

  return {
    async survivorOf(kind, id, signal) {
      let entry = cache.get(kind);
      if (!entry) {
        entry = load(kind, signal);
        entry.catch(() => cache.delete(kind));
        cache.set(kind, entry);
      }
      // A chain of merges (a into b, b into c) ends at the last survivor.
      const merges = await entry;
      let survivor = merges.get(id) ?? null;
      for (let hops = 0; survivor !== null && merges.has(survivor) && hops < 10; hops += 1) survivor = merges.get(survivor) ?? survivor;
      return survivor;
    },
  };
}
