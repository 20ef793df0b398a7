import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantKey } from '../../../shared/s3.ts';
import {
  asTenant, createEngineTenant, testTaskQueue, createJob, recordKeys, startSandboxes, startWorkerProcess, TERMINAL, verifySandboxes, waitForJob,
  type EngineTenant, type Sandboxes, type WorkerProcess,
} from '../../helpers/engine.ts';

const QUEUE = testTaskQueue('run');

let sandboxes: Sandboxes;
let e: EngineTenant;
let worker: WorkerProcess;

beforeAll(async () => {
  sandboxes = await startSandboxes({ seed: 'engine-run', size: 5_000 });
  e = await createEngineTenant(sandboxes, QUEUE);
  worker = startWorkerProcess(QUEUE);
});

afterAll(async () => {
  await worker?.kill();
  await sandboxes?.affinity.close();
  await sandboxes?.attio.close();
});

describe('a migration job end to end (API → Temporal → worker → sandboxes, PostgreSQL, S3)', () => {
  it('moves a 5,000-record account: every record once, one log row each, one SSE archive per batch', { timeout: 420_000 }, async () => {
    const counts = sandboxes.affinity.account.counts;
    expect(counts.total).toBeGreaterThanOrEqual(5_000);
    const created = await createJob(e, { batchSize: 200, concurrency: 4 });
    const job = await waitForJob(e, created.id, (j) => TERMINAL.includes(j.status));
    expect(job.status).toBe('completed');

    const [log] = await asTenant(e, (sql) => sql<{ rows: number; distinct_rows: number; not_final: number }[]>`
      select count(*)::int as rows, count(distinct (object, source_id))::int as distinct_rows,
             count(*) filter (where status not in ('succeeded', 'skipped'))::int as not_final
      from freight.job_records where job_id = ${job.id}`);
    const expectedRecords = counts.organizations + counts.persons + counts.opportunities + counts.notes + counts.listEntries + counts.opportunityListEntries;
    expect(log?.rows).toBe(expectedRecords);
    expect(log?.distinct_rows).toBe(log?.rows);
    expect(log?.not_final).toBe(0);

    const report = await verifySandboxes(sandboxes, await recordKeys(e, job.id, 'skipped'));
    expect(report.ok, JSON.stringify(report.kinds)).toBe(true);

    const batches = await asTenant(e, (sql) => sql<{ id: string; result_key: string }[]>`
      select id, result_key from freight.job_batches where job_id = ${job.id} and record_count > 0`);
    expect(batches.length).toBeGreaterThan(10);
    const listed = await e.t.ctx.s3.client.send(new ListObjectsV2Command({ Bucket: e.t.ctx.s3.bucket, Prefix: tenantKey(e.tenantId, 'jobs', job.id, 'batches') + '/', MaxKeys: 1000 }));
    const archives = (listed.Contents ?? []).filter((o) => o.Key?.endsWith('/archive.ndjson.gz'));
    expect(archives).toHaveLength(batches.length);
    // The workflow lives in the tenant's own namespace, and nowhere else.
    const described = await e.t.ctx.temporal.workflowService.describeWorkflowExecution({ namespace: e.namespace, execution: { workflowId: `job-${job.id}` } });
    expect(described.workflowExecutionInfo?.execution?.workflowId).toBe(`job-${job.id}`);
    await expect(e.t.ctx.temporal.workflowService.describeWorkflowExecution({ namespace: 'default', execution: { workflowId: `job-${job.id}` } })).rejects.toThrow();
    for (const b of batches.slice(0, 5)) {
      const head = await e.t.ctx.s3.client.send(new HeadObjectCommand({ Bucket: e.t.ctx.s3.bucket, Key: b.result_key }));
      expect(head.ServerSideEncryption).toBe('AES256');
    }
  });
});
