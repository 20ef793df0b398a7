import type { SkippedRecord } from '../pairs/pair.ts';

/**
 * One line of a batch's source file in S3: a record as read (opaque JSON the pair reads back), or
 * one the source could not read. `id` is the record's source id as the pair names it.
 */
export type SourceRow = { t: 'record'; record: unknown } | { t: 'skipped'; skipped: SkippedRecord };

/** The source id of a row: the pair's record id, or the skipped record's. */
export function rowSourceId(row: SourceRow, recordId: (record: unknown) => string): string {
  return row.t === 'record' ? recordId(row.record) : row.skipped.source.id;
}
