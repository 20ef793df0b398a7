import type { Attribute, AttributeContainer, StoredItem, ValuedRow } from './types.ts';
import { findAttribute } from './attributes.ts';
import { equalityLookup } from './filters.ts';

/**
 * Equality indexes on plain text/number attributes, built the first time a query filters on one and
 * kept current by every write after that. Real Attio answers `{ affinity_id: "123" }` from an index;
 * a sandbox that scanned every record for it made a migration's lookups O(records) each, so a
 * 1,000,000-record job slowed down quadratically on the sandbox rather than on the engine.
 */
export type EqualityIndexes = Map<string, Map<unknown, Set<string>>>;

/** What an index needs of an object's records or a list's entries. */
export interface IndexedRows<T extends ValuedRow> {
  container: AttributeContainer;
  rows: Map<string, T>;
  equality: EqualityIndexes;
  /** Insertion position of each live row, to return indexed matches in insertion order. */
  positions: Map<string, number>;
}

const INDEXABLE = new Set(['text', 'number']);

const isIndexable = (attribute: Attribute): boolean => INDEXABLE.has(attribute.type) && !attribute.isSystem;

const keyOf = (item: StoredItem): unknown => item.data.value;

function add(index: Map<unknown, Set<string>>, items: readonly StoredItem[], id: string): void {
  for (const item of items) {
    const key = keyOf(item);
    let ids = index.get(key);
    if (!ids) index.set(key, (ids = new Set()));
    ids.add(id);
  }
}

function remove(index: Map<unknown, Set<string>>, items: readonly StoredItem[], id: string): void {
  for (const item of items) {
    const key = keyOf(item);
    const ids = index.get(key);
    if (!ids) continue;
    ids.delete(id);
    if (ids.size === 0) index.delete(key);
  }
}

/** The index of `slug`, built from every stored row on first use. */
function equalityIndex<T extends ValuedRow>(holder: IndexedRows<T>, slug: string): Map<unknown, Set<string>> {
  let index = holder.equality.get(slug);
  if (!index) {
    index = new Map();
    for (const row of holder.rows.values()) add(index, row.values.get(slug) ?? [], row.id);
    holder.equality.set(slug, index);
  }
  return index;
}

/**
 * Rows that can match a filter that is one equality on one indexable attribute, in insertion order;
 * undefined for any other filter (the caller scans). Callers still apply the whole filter.
 */
export function indexedCandidates<T extends ValuedRow>(holder: IndexedRows<T>, filter: unknown): T[] | undefined {
  const lookup = equalityLookup(holder.container, filter);
  if (!lookup) return undefined;
  const attribute = findAttribute(holder.container, lookup.slug);
  if (!attribute || !isIndexable(attribute)) return undefined;
  const ids = equalityIndex(holder, attribute.slug).get(lookup.value);
  if (!ids) return [];
  const rows = [...ids].flatMap((id) => holder.rows.get(id) ?? []);
  return rows.sort((a, b) => (holder.positions.get(a.id) ?? 0) - (holder.positions.get(b.id) ?? 0));
}

/** Called by the write path with an attribute's old and new items of one row. */
export function reindex(indexes: EqualityIndexes | undefined, slug: string, row: ValuedRow, old: readonly StoredItem[], next: readonly StoredItem[]): void {
  const index = indexes?.get(slug);
  if (!index) return;
  remove(index, old, row.id);
  add(index, next, row.id);
}

/** Drops every indexed value of a deleted row. */
export function unindexRow(indexes: EqualityIndexes, row: ValuedRow): void {
  for (const [slug, index] of indexes) remove(index, row.values.get(slug) ?? [], row.id);
}
