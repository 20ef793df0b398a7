import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../connectors/connector-error.ts';
import { loadBatchWithFakes } from './load-batch-fakes.ts';
import type { WriteImages } from './write-images.ts';

// Undo's before-images are read ahead of a chunk's writes. One record's read failing (a 5xx) must
// hold back that record alone — logged as retrying, written by a later attempt — not the whole
// chunk: with 1% 5xx over a 100-record chunk, most attempts would otherwise make no progress at all.
const ref = { tenantId: '00000000-0000-4000-8000-000000000001', jobId: '00000000-0000-4000-8000-000000000002' };
const IDS = Array.from({ length: 6 }, (_, i) => `r${i}`);

function fixture(failRead: (id: string) => ConnectorError | null) {
  const written: string[] = [];
  const imaged: string[] = [];
  const images = {
    recordBefore: async (_r: unknown, _o: unknown, _b: unknown, rows: { sourceId: string }[]) => { imaged.push(...rows.map((x) => x.sourceId)); },
    recordAfter: async () => undefined,
  } as unknown as WriteImages;
  const { load, logged } = loadBatchWithFakes({
    ids: IDS,
    images,
    runtime: {
      // As the Attio pair's: a retryable or record-level error is that record's, anything else is thrown.
      readBefore: async (writes: { id: string }[]) => writes.map((w) => {
        const error = failRead(w.id);
        if (error && !error.retryable && error.kind !== 'validation') throw error;
        return error ? { error } : { source: { kind: 'organization', id: w.id }, target: null, before: null };
      }),
      write: async (w: { id: string }) => {
        written.push(w.id);
        return { target: { object: 'companies', id: `t-${w.id}` }, action: 'created', warnings: [], image: {} };
      },
    },
  });
  return { load, logged, written, imaged };
}

const run = (load: ReturnType<typeof fixture>['load']) =>
  new MockActivityEnvironment().run(load, { ...ref, batchId: 'organizations-000000', mode: 'unfinished' as const, dryRun: false });

describe('loadBatch when a before-image read fails', () => {
  it('writes every other record of the chunk and hands the one back for a retry, unwritten', async () => {
    const { load, logged, written, imaged } = fixture((id) => (id === 'r2' ? new ConnectorError({ kind: 'transient', status: 502, message: 'bad gateway' }) : null));
    await expect(run(load)).rejects.toBeDefined();
    expect(written.sort()).toEqual(['r0', 'r1', 'r3', 'r4', 'r5']);
    expect(imaged.sort()).toEqual(['r0', 'r1', 'r3', 'r4', 'r5']);
    expect(logged.find((o) => o.sourceId === 'r2')).toMatchObject({ status: 'retrying', errorKind: 'transient' });
    expect(logged.filter((o) => o.status === 'succeeded').map((o) => o.sourceId).sort()).toEqual(['r0', 'r1', 'r3', 'r4', 'r5']);
  });

  it('logs a record-level refusal of the read as the record failing, and completes the batch', async () => {
    const { load, logged, written } = fixture((id) => (id === 'r4' ? new ConnectorError({ kind: 'validation', status: 400, message: 'bad filter value' }) : null));
    await run(load);
    expect(written).not.toContain('r4');
    expect(logged.find((o) => o.sourceId === 'r4')).toMatchObject({ status: 'failed', errorKind: 'validation' });
  });

  it('stops the chunk on a fatal read error before any write goes out', async () => {
    const { load, written } = fixture((id) => (id === 'r1' ? new ConnectorError({ kind: 'auth', status: 401, message: 'token revoked' }) : null));
    await expect(run(load)).rejects.toMatchObject({ type: 'auth' });
    expect(written).toEqual([]);
  });
});
