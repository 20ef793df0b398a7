import { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { JobResult } from '../../../workflows/migration-job/definitions.ts';
import {
  asTenant, createEngineTenant, testTaskQueue, createJob, recordKeys, startSandboxes, startWorkerProcess, TERMINAL, verifySandboxes, waitForJob,
} from '../../helpers/engine.ts';

const QUEUE = testTaskQueue('durable');

async function logTotals(e: Awaited<ReturnType<typeof createEngineTenant>>, jobId: string) {
  const [row] = await asTenant(e, (tx) => tx<{ rows: number; distinct_rows: number; unfinished: number }[]>`
    select count(*)::int as rows, count(distinct (object, source_id))::int as distinct_rows,
           count(*) filter (where status not in ('succeeded', 'skipped'))::int as unfinished
    from freight.job_records where job_id = ${jobId}`);
  return row;
}

describe('durability', () => {
  it('survives SIGKILL of the worker mid-job: no record lost, none duplicated', { timeout: 600_000 }, async () => {
    const s = await startSandboxes({ seed: 'engine-kill', size: 3_000 });
    let worker = startWorkerProcess(QUEUE);
    try {
      const e = await createEngineTenant(s, QUEUE);
      const job = await createJob(e, { batchSize: 100, concurrency: 4 });
      await waitForJob(e, job.id, (j) => (j.batches.succeeded ?? 0) >= 3 && (j.batches.running ?? 0) > 0);
      await worker.kill('SIGKILL');
      worker = startWorkerProcess(QUEUE);
      const done = await waitForJob(e, job.id, (j) => TERMINAL.includes(j.status), 480_000);
      expect(done.status).toBe('completed');
      const totals = await logTotals(e, job.id);
      expect(totals?.distinct_rows).toBe(totals?.rows);
      expect(totals?.unfinished).toBe(0);
      const report = await verifySandboxes(s, await recordKeys(e, job.id, 'skipped'));
      expect(report.ok, JSON.stringify(report.kinds)).toBe(true);
    } finally {
      await worker.kill();
      await s.affinity.close();
      await s.attio.close();
    }
  });

  it('a 20,000-record job continues as new (bounded history) and keeps exact counts', { timeout: 900_000 }, async () => {
    const s = await startSandboxes({ seed: 'engine-can', size: 20_000 });
    const worker = startWorkerProcess(QUEUE);
    try {
      // Default threshold is 2,000 events; a lower one makes several runs certain at this size.
      const e = await createEngineTenant(s, QUEUE, { config: { jobs: { maxHistoryEvents: 600, retryWindowHours: 24 } } });
      const job = await createJob(e, { objects: ['organizations', 'persons', 'notes'], batchSize: 100, concurrency: 6 });
      const done = await waitForJob(e, job.id, (j) => TERMINAL.includes(j.status), 840_000);
      expect(done.status).toBe('completed');
      const counts = s.affinity.account.counts;
      const totals = await logTotals(e, job.id);
      expect(totals?.rows).toBe(counts.organizations + counts.persons + counts.notes);
      expect(totals?.distinct_rows).toBe(totals?.rows);
      const client = new Client({ connection: e.t.ctx.temporal, namespace: e.namespace });
      const result = (await client.workflow.getHandle(`job-${job.id}`).result()) as JobResult;
      expect(result.runs).toBeGreaterThan(1);
      expect(result.totals.succeeded + result.totals.skipped).toBe(totals?.rows);
    } finally {
      await worker.kill();
      await s.affinity.close();
      await s.attio.close();
    }
  });
});
