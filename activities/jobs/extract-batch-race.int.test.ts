import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanUpJobs, insertJob, tenantWithConnections, type TenantFixture } from '../../test/integration/support/jobs.ts';
import { createTestApp, type TestApp } from '../../test/integration/support/app.ts';
import { getNdjson } from './archive.ts';
import type { ExtractBatchInput, ExtractBatchResult } from './contract.ts';
import { createExtractBatch } from './extract-batch.ts';
import type { JobConnectorFactory, JobConnectors } from './job-connectors.ts';
import { createJobStore } from './job-store.ts';
import type { SourceRow } from './source-rows.ts';

// Two attempts of one extract can overlap (a timed-out attempt still running beside its retry). The
// first to record the batch wins; the page the load then reads must be exactly the recorded one.
let t: TestApp;
let f: TenantFixture;

beforeAll(async () => {
  t = await createTestApp();
  f = await tenantWithConnections(t);
});

afterAll(async () => {
  await cleanUpJobs(t, [f]);
});

const page = (ids: number[]) => ({ records: ids.map((id) => ({ id, name: `org ${id}` })), skipped: [], nextCursor: 'next' });

describe('extract attempts racing on one batch', () => {
  it('a losing attempt cannot replace the page the winner recorded', async () => {
    const jobId = await insertJob(t, f, { status: 'running' });
    const store = createJobStore(t.ctx.sql);
    let releaseLoser: () => void = () => undefined;
    const loserMayWrite = new Promise<void>((r) => { releaseLoser = r; });
    let loserRead: () => void = () => undefined;
    const loserHasRead = new Promise<void>((r) => { loserRead = r; });
    // The first attempt reads a page and stalls before staging it; the second reads (the source has
    // moved on meanwhile: a different page) and records first.
    const sources = [
      async () => { loserRead(); await loserMayWrite; return page([1, 2, 3]); },
      async () => page([10, 20]),
    ];
    let calls = 0;
    const connectors = {
      forJob: async () => ({ runtime: { readPage: () => (sources[calls++] as () => Promise<unknown>)() } }) as unknown as JobConnectors,
    } as unknown as JobConnectorFactory;
    const extract = createExtractBatch({ store, s3: t.ctx.s3, connectors });
    const input: ExtractBatchInput = { tenantId: f.tenant.id, jobId, object: 'organizations', seq: 0, cursor: null, batchSize: 3 };

    const loser = new MockActivityEnvironment({ attempt: 1 }).run(extract, input);
    await loserHasRead;
    const winner: ExtractBatchResult = await new MockActivityEnvironment({ attempt: 2 }).run(extract, input);
    releaseLoser();
    const late = await loser;

    // Both answer what was recorded; the load reads the recorded key.
    expect(winner).toEqual({ batchId: 'organizations-000000', count: 2, nextCursor: 'next' });
    expect(late).toEqual(winner);
    const batch = await store.getBatch(input, winner.batchId);
    const rows = await getNdjson<SourceRow>(t.ctx.s3, batch?.source_key ?? '');
    expect(rows.map((r) => (r.t === 'record' ? (r.record as { id: number }).id : null))).toEqual([10, 20]);
  });
});
