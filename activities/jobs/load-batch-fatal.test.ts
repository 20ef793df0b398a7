import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../connectors/connector-error.ts';
import { loadBatchWithFakes } from './load-batch-fakes.ts';

// A token revoked in the middle of a chunk: the records written before the 401 (and those already
// in flight) must reach the record log, or a resumed job writes them again.
const ref = { tenantId: '00000000-0000-4000-8000-000000000001', jobId: '00000000-0000-4000-8000-000000000002' };
const IDS = Array.from({ length: 8 }, (_, i) => `r${i}`);

function fixture(revokedAt: number) {
  const written: string[] = [];
  const { load, logged } = loadBatchWithFakes({
    ids: IDS,
    runtime: {
      write: async (w: { id: string }) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (written.length >= revokedAt) throw new ConnectorError({ kind: 'auth', status: 401, message: 'token revoked' });
        written.push(w.id);
        return { target: { object: 'companies', id: `t-${w.id}` }, action: 'created', warnings: [] };
      },
    },
  });
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
    expect(logged.map((o) => o.sourceId)).toEqual(IDS);
  });
});
