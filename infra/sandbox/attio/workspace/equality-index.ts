import type { Attribute, RecordStore, StoredItem, ValuedRow } from './types.ts';

/**
 * Equality indexes on plain text/number attributes, built the first time a query filters on one and
 * kept current by every write after that. Real Attio answers `{ affinity_id: "123" }` from an index;
 * a sandbox that scanned every record for it made a migration's lookups O(records) each, so a
 * 1,000,000-record job slowed down quadratically on the sandbox rather than on the engine.
 */
export type EqualityIndexes = Map<string, Map<unknown, Set<string>>>;

const INDEXABLE = new Set(['text', 'number']);

export const isIndexable = (attribute: Attribute): boolean => INDEXABLE.has(attribute.type) && !attribute.isSystem;

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

/** The index of `slug`, built from every stored record on first use. */
export function equalityIndex(store: RecordStore, slug: string): Map<unknown, Set<string>> {
  let index = store.equality.get(slug);
  if (!index) {
    index = new Map();
    for (const row of store.records.values()) add(index, row.values.get(slug) ?? [], row.id);
    store.equality.set(slug, index);
  }
  return index;
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
