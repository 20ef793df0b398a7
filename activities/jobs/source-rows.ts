import type { SkippedSourceRecord } from '../pairs/affinity-attio/affinity/affinity-source.ts';
import type { AffinityObjectKind, AffinityRecord } from '../pairs/affinity-attio/affinity/affinity-types.ts';

/** One line of a batch's source file in S3: a record as read, or one the source could not read. */
export type SourceRow = { t: 'record'; record: AffinityRecord } | { t: 'skipped'; skipped: SkippedSourceRecord };

export function rowSourceId(row: SourceRow): string {
  return row.t === 'record' ? row.record.id : row.skipped.source.id;
}

/**
 * Job objects are what users choose; "lists" means the list entries (the lists themselves are
 * created by the schema step before any batch runs).
 */
export function sourceKindOf(object: string): AffinityObjectKind {
  const kinds: Record<string, AffinityObjectKind> = {
    organizations: 'organizations', persons: 'persons', opportunities: 'opportunities', lists: 'list_entries', notes: 'notes',
  };
  const kind = kinds[object];
  if (!kind) throw new Error(`unknown object kind "${object}"`);
  return kind;
}
