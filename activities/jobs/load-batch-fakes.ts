import { gzipSync } from 'node:zlib';
import type { S3Context } from '../../shared/s3.ts';
import type { JobConnectorFactory } from './job-connectors.ts';
import type { JobStore, RecordOutcome } from './job-store.ts';
import { createLoadBatch } from './load-batch.ts';
import type { SchemaCache } from './schema-cache.ts';
import type { WriteImages } from './write-images.ts';

/**
 * Test fakes for loadBatch's unit tests (imported by *.test.ts only): one batch of `ids` records in a
 * stubbed S3 file, a store that keeps the logged outcomes, and a runtime whose every record maps to
 * itself; the test gives the runtime's `write` (and `readBefore`, if any).
 */
export function loadBatchWithFakes(options: {
  ids: readonly string[];
  runtime: Record<string, unknown>;
  images?: WriteImages;
}) {
  const logged: RecordOutcome[] = [];
  const store = {
    getBatch: async () => ({ source_key: 'k', record_count: options.ids.length, object: 'organizations' }),
    getJob: async () => ({ id: 'j1' }),
    startAttempt: async () => undefined,
    settledSourceIds: async () => new Set<string>(),
    writeOutcomes: async (_: unknown, outcomes: RecordOutcome[]) => { logged.push(...outcomes); },
    completeBatch: async () => ({ succeeded: 0, failed: 0, skipped: 0 }),
    batchOutcomes: async () => new Map(),
  } as unknown as JobStore;
  const body = gzipSync(options.ids.map((id) => JSON.stringify({ t: 'record', record: { id } })).join('\n'));
  const s3 = { bucket: 'b', client: { send: async () => ({ Body: { transformToByteArray: async () => body } }) } } as unknown as S3Context;
  const runtime = {
    resolveReferences: async () => new Map(), referencedKeys: () => [], context: () => ({}), unresolvedNow: () => 0,
    recordId: (r: { id: string }) => r.id,
    map: (r: { id: string }) => ({ status: 'ok', write: r, notes: [], warnings: [] }),
    ...options.runtime,
  };
  const connectors = { forJob: async () => ({ runtime }) } as unknown as JobConnectorFactory;
  const schemas = { get: async () => ({ warnings: [], created: [] }) } as unknown as SchemaCache;
  const load = createLoadBatch({
    store, s3, connectors, schemas, writeConcurrency: 2, flushEvery: options.ids.length, ...(options.images ? { images: options.images } : {}),
  });
  return { load, logged };
}
