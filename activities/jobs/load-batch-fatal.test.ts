import { gzipSync } from 'node:zlib';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../connectors/connector-error.ts';
import type { S3Context } from '../../shared/s3.ts';
import type { JobConnectorFactory } from './job-connectors.ts';
import type { JobStore, RecordOutcome } from './job-store.ts';
import { createLoadBatch } from './load-batch.ts';
import type { SchemaCache } from './schema-cache.ts';

// A token revoked in the middle of a chunk: the records written before the 401 (and those already
// in flight) must reach the record log, or a resumed job writes them again.
const ref = { tenantId: '00000000-0000-4000-8000-000000000001', jobId: '00000000-0000-4000-8000-000000000002' };
const ROWS = Array.from({ length: 8 }, (_, i) => ({ t: 'record', record: { id: `r${i}` } }));

function fixture(revokedAt: number) {
  const logged: RecordOutcome[] = [];
  const written: string[] = [];
  const store = {
    getBatch: async () => ({ source_key: 'k', record_count: ROWS.length, object: 'organizations' }),
    getJob: async () => ({ id: 'j1' }),
    startAttempt: async () => undefined,
    settledSourceIds: async () => new Set<string>(),
    writeOutcomes: async (_: unknown, outcomes: RecordOutcome[]) => { logged.push(...outcomes); },
    completeBatch: async () => ({ succeeded: 0, failed: 0, skipped: 0 }),
    batchOutcomes: async () => new Map(),
  } as unknown as JobStore;
  const body = gzipSync(ROWS.map((r) => JSON.stringify(r)).join('\n'));
  const s3 = { bucket: 'b', client: { send: async () => ({ Body: { transformToByteArray: async () => body } }) } } as unknown as S3Context;
  const runtime = {
    resolveReferences: async () => new Map(), referencedKeys: () => [], context: () => ({}), unresolvedNow: () => 0,
    recordId: (r: { id: string }) => r.id,
    map: (r: { id: string }) => ({ status: 'ok', write: r, notes: [], warnings: [] }),
    write: async (w: { id: string }) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (written.length >= revokedAt) throw new ConnectorError({ kind: 'auth', status: 401, message: 'token revoked' });
      written.push(w.id);
      return { target: { object: 'companies', id: `t-${w.id}` }, action: 'created', warnings: [] };
    },
  };
  const connectors = { forJob: async () => ({ runtime }) } as unknown as JobConnectorFactory;
  const schemas = { get: async () => ({ warnings: [], created: [] }) } as unknown as SchemaCache;
  const load = createLoadBatch({ store, s3, connectors, schemas, writeConcurrency: 2, flushEvery: 8 });
  return { load, logged, written };
}

describe('loadBatch on a fatal error mid-chunk', () => {
  it('logs every record written before the error, then fails the attempt with it', async () => {
    const { load, logged, written } = fixture(3);
    const run = new MockActivityEnvironment().run(load, { ...ref, batchId: 'organizations-000000', mode: 'unfinished' as const, dryRun: false });
    await expect(run).rejects.toMatchObject({ type: 'auth' });
    expect(written).toHaveLength(3);
    expect(logged.filter((o) => o.status === 'succeeded').map((o) => o.sourceId).sort()).toEqual([...written].sort());
    // Nothing after the error was attempted beyond what was already in flight.
    expect(logged.length).toBeLessThanOrEqual(written.length + 1);
  });

  it('writes every outcome as before when nothing fails', async () => {
    const { load, logged } = fixture(Infinity);
    await new MockActivityEnvironment().run(load, { ...ref, batchId: 'organizations-000000', mode: 'unfinished' as const, dryRun: false });
    expect(logged.map((o) => o.sourceId)).toEqual(ROWS.map((r) => r.record.id));
  });
});
