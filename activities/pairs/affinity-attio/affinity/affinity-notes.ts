import { mapWithConcurrency } from '../../../connectors/concurrency.ts';
import type { QueryValue } from '../../../connectors/http/http-client.ts';
import type { AffinityClient } from './affinity-client.ts';
import type { AffinityNote } from './affinity-types.ts';
import { noteOf, previewLinks, type NoteLinks } from './affinity-v2-records.ts';
import type { V2Note, V2Paged } from './affinity-v2-types.ts';

/** What a root note's listing is asked to include: the attached entities and the reply count. */
const NOTE_INCLUDES: Array<[string, QueryValue]> = [
  ['includes', 'personsPreview'], ['includes', 'companiesPreview'], ['includes', 'opportunitiesPreview'], ['includes', 'repliesCount'],
];

const ATTACHED_PATH: Record<keyof NoteLinks, string> = {
  person_ids: 'attached-persons',
  organization_ids: 'attached-companies',
  opportunity_ids: 'attached-opportunities',
};

/** `2025-02-03T10:48:24Z`, the spec's datetime form in filters: whole seconds, rounded down (never later than asked). */
const filterTime = (at: Date) => new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/**
 * The root notes created or updated since `at` (the `filter` documented on `GET /v2/notes`: `createdAt`
 * and `updatedAt` with `>=`, `|` for or). Both: a note never edited has `updatedAt: null` (the schema
 * allows it), which no `updatedAt` condition matches.
 *
 * Not seen through it (inferred: the spec does not say what moves a root's `updatedAt`): a reply
 * added or edited under a root, or an entity attached to or detached from one, when that did not
 * also update the root; nor a deleted note (absent from a filtered listing says nothing). A full job
 * reads every note again.
 */
export function changedSinceFilter(at: Date): string {
  const t = filterTime(at);
  return `createdAt>=${t}|updatedAt>=${t}`;
}

/** Every item of a v2 listing, page after page. */
async function all<T>(client: AffinityClient, path: string, signal?: AbortSignal): Promise<T[]> {
  const out: T[] = [];
  let body = await client.getV2<V2Paged<T>>(path, [['limit', 100]], signal);
  for (;;) {
    out.push(...(body.data ?? []));
    const next = body.pagination?.nextUrl;
    if (!next) return out;
    body = await client.getNext<V2Paged<T>>(next, signal);
  }
}

/**
 * One page of root notes (`GET /v2/notes`, which lists no replies) with their links complete and
 * their replies after each root. Extra calls only where the listing is not enough: a preview
 * holding fewer entities than its `totalCount` (`/v2/notes/{id}/attached-*`), a note with replies
 * (`/v2/notes/{id}/replies`).
 */
export async function readNotePage(
  client: AffinityClient, cursorUrl: string | null,
  opts: { limit: number; concurrency: number; signal?: AbortSignal | undefined; changedSince?: Date | null },
): Promise<{ notes: AffinityNote[]; next: string | null }> {
  const filter: Array<[string, QueryValue]> = opts.changedSince ? [['filter', changedSinceFilter(opts.changedSince)]] : [];
  // Later pages: the nextUrl keeps the first request's query, the filter included.
  const body = cursorUrl
    ? await client.getNext<V2Paged<V2Note>>(cursorUrl, opts.signal)
    : await client.getV2<V2Paged<V2Note>>('/v2/notes', [['limit', opts.limit], ...NOTE_INCLUDES, ...filter], opts.signal);
  const roots = body.data ?? [];
  const expanded = await mapWithConcurrency(roots, opts.concurrency, async (root) => {
    const { links, incomplete } = previewLinks(root);
    for (const key of incomplete) {
      const attached = await all<{ id: number }>(client, `/v2/notes/${root.id}/${ATTACHED_PATH[key]}`, opts.signal);
      links[key] = attached.map((a) => a.id);
    }
    const replies = (root.repliesCount ?? 0) > 0 ? await all<V2Note>(client, `/v2/notes/${root.id}/replies`, opts.signal) : [];
    return [noteOf(root, links, null), ...replies.map((r) => noteOf(r, links, r.parent?.id ?? root.id))];
  });
  const next = body.pagination?.nextUrl;
  return { notes: expanded.flat(), next: typeof next === 'string' && next !== '' ? next : null };
}
