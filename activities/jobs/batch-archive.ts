import type { S3Context } from '../../shared/s3.ts';
import { batchKey, putNdjson } from './archive.ts';
import type { JobRef } from './contract.ts';
import type { JobStore } from './job-store.ts';
import { rowSourceId, type SourceRow } from './source-rows.ts';

/**
 * The batch archive: every source record as read, next to its latest outcome from the record log
 * (so a failed-only retry still leaves one complete archive per batch). Returns its S3 key.
 */
export async function writeBatchArchive(
  s3: S3Context, store: JobStore, ref: JobRef, batchId: string, rows: readonly SourceRow[], recordId: (record: unknown) => string,
): Promise<string> {
  const outcomes = await store.batchOutcomes(ref, batchId);
  const key = batchKey(ref, batchId, 'archive.ndjson.gz');
  await putNdjson(s3, key, rows.map((row) => ({ source: row, result: outcomes.get(rowSourceId(row, recordId)) ?? null })), { 'freight-batch': batchId });
  return key;
}
