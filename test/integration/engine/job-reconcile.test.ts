import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import {
  asTenant, createEngineTenant, createJob, sandboxControl, startSandboxes, startWorkerProcess, testTaskQueue, TERMINAL, waitForJob,
  type EngineTenant, type WorkerProcess,
} from '../../helpers/engine.ts';
import { createKey, createTenant } from '../support/app.ts';

const QUEUE = testTaskQueue('reconcile');
const FAST_RETRIES = { maxAttempts: 3, initialIntervalMs: 100, backoffCoefficient: 2, maximumIntervalMs: 1_000, nonRetryable: [] };

interface Difference { kind: string; object: string; sourceId: string | null; reason: string | null }
interface Run { seq: number; trigger: string; status: string; differences: number | null }
interface Reconciliation {
  latest: (Run & { report: { totals: Record<string, number>; objects: Record<string, { expected: number; present: number; missing: number }>; differences: Difference[] } | null }) | null;
  runs: Run[];
}

let worker: WorkerProcess;
beforeAll(() => {
  worker = startWorkerProcess(QUEUE);
});
afterAll(async () => {
  await worker?.kill();
});

async function reconciliation(e: EngineTenant, jobId: string, seq?: number): Promise<Reconciliation> {
  const res = await e.t.call('GET', `/v1/jobs/${jobId}/reconciliation${seq ? `?seq=${seq}` : ''}`, { token: e.key });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Reconciliation;
}

/** Polls until run `seq` (or the newest) has finished; answers it with its report. */
async function finishedRun(e: EngineTenant, jobId: string, seq?: number): Promise<NonNullable<Reconciliation['latest']>> {
  let last: Reconciliation | undefined;
  await expect.poll(async () => {
    last = await reconciliation(e, jobId, seq);
    return last.latest?.status;
  }, { timeout: 120_000, interval: 500 }).toMatch(/^(completed|failed|not_supported)$/);
  const latest = last?.latest;
  if (!latest) throw new Error('no reconciliation');
  return latest;
}

describe('reconciliation of a job through the public APIs', () => {
  it('lists exactly the poison records as missing with their reasons; after the fix and retryFailed, 0 differences', { timeout: 400_000 }, async () => {
    const s = await startSandboxes({ seed: 'engine-reconcile', size: 600, poisonRate: 0.01 });
    try {
      const e = await createEngineTenant(s, QUEUE);
      const created = await createJob(e, { batchSize: 100, retryPolicy: FAST_RETRIES });
      const job = await waitForJob(e, created.id, (j) => TERMINAL.includes(j.status));
      expect(job.status).toBe('completed_with_errors');
      const failed = await asTenant(e, (tx) => tx<{ object: string; source_id: string; error_kind: string; error_message: string }[]>`
        select object, source_id, error_kind, error_message from freight.job_records where job_id = ${job.id} and status = 'failed'`);
      expect(failed.length).toBeGreaterThan(0);

      // The job started its own reconciliation when it finished.
      const first = await finishedRun(e, job.id);
      expect(first).toMatchObject({ seq: 1, trigger: 'auto', status: 'completed', differences: failed.length });
      const report = first.report;
      expect(report?.differences.every((d) => d.kind === 'missing'), JSON.stringify(report?.differences.slice(0, 5))).toBe(true);
      expect(report?.differences.map((d) => `${d.object}:${d.sourceId}`).sort()).toEqual(failed.map((f) => `${f.object}:${f.source_id}`).sort());
      for (const f of failed) {
        const d = report?.differences.find((x) => x.object === f.object && x.sourceId === f.source_id);
        expect(d?.reason).toBe(`failed: ${f.error_kind}: ${f.error_message}`);
      }
      expect(report?.totals).toMatchObject({ differences: failed.length, missing: failed.length, mismatch: 0, duplicate: 0, dangling_reference: 0 });
      const persons = report?.objects.persons;
      expect(persons && persons.present + persons.missing).toBe(persons?.expected);

      // CSV: one row per difference, streamed from S3.
      const csv = await e.t.call('GET', `/v1/jobs/${job.id}/reconciliation.csv`, { token: e.key });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
      const rows = parse(await csv.text(), { columns: true }) as Array<Record<string, string>>;
      expect(rows).toHaveLength(failed.length);
      expect(rows[0]).toMatchObject({ kind: 'missing', reason: expect.stringMatching(/^failed: validation: /) });
      // The run's two files are among the job's artifacts, downloadable as stored.
      const listed = (await (await e.t.call('GET', `/v1/jobs/${job.id}/artifacts`, { token: e.key })).json()) as { data: Array<{ key: string; kind: string; url: string }> };
      const files = listed.data.filter((a) => a.kind.startsWith('reconciliation_'));
      expect(files.map((a) => `${a.kind} ${a.key.split('/').pop()}`).sort()).toEqual(['reconciliation_csv reconciliation-1.csv', 'reconciliation_json reconciliation-1.json']);
      const stored = await fetch(files.find((a) => a.kind === 'reconciliation_csv')!.url);
      expect(parse(await stored.text(), { columns: true })).toHaveLength(failed.length);

      // Another tenant sees no such job; a viewer cannot start one.
      const other = await createTenant(e.t);
      const otherKey = (await createKey(e.t, other.id, 'engineer')).key;
      expect((await e.t.call('GET', `/v1/jobs/${job.id}/reconciliation`, { token: otherKey })).status).toBe(404);
      expect((await e.t.call('POST', `/v1/jobs/${job.id}/reconcile`, { token: otherKey })).status).toBe(404);
      const viewer = (await createKey(e.t, e.tenantId, 'viewer')).key;
      expect((await e.t.call('POST', `/v1/jobs/${job.id}/reconcile`, { token: viewer })).status).toBe(403);

      // The fix, then retryFailed: the job completes, and a reconciliation asked for finds nothing.
      await sandboxControl(`${s.attio.url}/__sandbox/poison`, 'PATCH', { enabled: false });
      const retry = await e.t.call('POST', `/v1/jobs/${job.id}/retry`, { token: e.key, body: { scope: 'failed-records' } });
      expect(retry.status).toBe(200);
      await waitForJob(e, job.id, (j) => j.status === 'completed');
      const headers = { 'idempotency-key': `reconcile-${job.id}` };
      const asked = await e.t.call('POST', `/v1/jobs/${job.id}/reconcile`, { token: e.key, headers });
      expect(asked.status, await asked.clone().text()).toBe(202);
      const run = (await asked.json()) as Run;
      expect(run).toMatchObject({ trigger: 'manual', status: 'pending' });
      const again = await e.t.call('POST', `/v1/jobs/${job.id}/reconcile`, { token: e.key, headers });
      expect(again.status).toBe(200);
      expect(((await again.json()) as Run).seq).toBe(run.seq);
      const second = await finishedRun(e, job.id, run.seq);
      expect(second.report?.differences, JSON.stringify(second.report?.differences.slice(0, 5))).toEqual([]);
      expect(second).toMatchObject({ status: 'completed', differences: 0 });
      const all = await reconciliation(e, job.id);
      expect(all.runs.map((r) => r.seq)).toContain(run.seq);
      expect(all.runs.find((r) => r.seq === 1)?.differences).toBe(failed.length);
    } finally {
      await s.affinity.close();
      await s.attio.close();
    }
  });
});
