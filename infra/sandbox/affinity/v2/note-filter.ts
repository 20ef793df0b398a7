import type { AffinityAccount, Note } from '../../generator/index.ts';
import { parseFilter, type FilterProperties, type FilterProperty } from './filter.ts';

const datetime = (read: (n: Note) => string | null): FilterProperty<Note> => ({ type: 'datetime', operators: ['>', '<', '>=', '<='], read });
const CREATOR: FilterProperty<Note> = { type: 'int32', operators: ['='], read: (n) => n.creator_id };
const CREATED = datetime((n) => n.created_at);
// `updatedAt` is null on a note never edited (notes.BaseNote: string or null): no comparison matches it.
const UPDATED = datetime((n) => n.updated_at);

/** `GET /v2/notes`: the properties its description lists (`id`, `creator.id`, `createdAt`, `updatedAt`). */
export const ROOT_NOTE_FILTER: FilterProperties<Note> = {
  id: { type: 'int32', operators: ['='], read: (n) => n.id }, 'creator.id': CREATOR, createdAt: CREATED, updatedAt: UPDATED,
};
/** A note's replies and an entity's notes: the same without `id` (their descriptions list three). */
export const NOTE_FILTER: FilterProperties<Note> = { 'creator.id': CREATOR, createdAt: CREATED, updatedAt: UPDATED };

/** The request's `filter` as a predicate on note positions; null when absent. Throws a 400 for a bad one. */
export function notePredicate(account: AffinityAccount, query: URLSearchParams, properties: FilterProperties<Note>): ((n: number) => boolean) | null {
  const text = query.get('filter');
  if (text === null) return null;
  const predicate = parseFilter(text, properties);
  return (n) => predicate(account.note(n));
}

interface Cached { revision: number; positions: Int32Array }
const cache = new WeakMap<AffinityAccount, Map<string, Cached>>();
const CACHED_FILTERS = 8;

/**
 * The items of `all` that pass the request's filter, cached per filter text until the account changes:
 * each page of a filtered listing would otherwise build every note again to find its offset.
 */
export function filteredPositions(account: AffinityAccount, key: string, all: Int32Array, keep: (n: number) => boolean): Int32Array {
  const revision = account.revision?.() ?? 0;
  let byText = cache.get(account);
  if (!byText) cache.set(account, (byText = new Map()));
  const hit = byText.get(key);
  if (hit && hit.revision === revision) return hit.positions;
  const positions = Int32Array.from(Array.from(all).filter(keep));
  if (byText.size >= CACHED_FILTERS) byText.delete(byText.keys().next().value as string);
  byText.set(key, { revision, positions });
  return positions;
}
