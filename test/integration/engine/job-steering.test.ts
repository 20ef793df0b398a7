import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  testTaskQueue, asTenant, attioWrites, createEngineTenant, createJob, getJob, recordKeys, sandboxControl, startSandboxes, startWorkerProcess, temporalCli,
  TERMINAL, verifySandboxes, waitForJob, type WorkerProcess,
} from '../../helpers/engine.ts';

const QUEUE = testTaskQueue('steer');

let worker: WorkerProcess;
beforeAll(() => {
  worker = startWorkerProcess(QUEUE);
});
afterAll(async () => {
  await worker?.kill();
});

const FAST_RETRIES = { maxAttempts: 8, initialIntervalMs: 100, backoffCoefficient: 2, maximumIntervalMs: 1_000, nonRetryable: [] };

describe('steering a running job', () => {
  it('poison records fail alone; the CLI retries one batch; after the fix retryFailed rewrites only them', { timeout: 300_000 }, async () => {
    const s = await startSandboxes({ seed: 'engine-poison', size: 1_200, poisonRate: 0.01 });
    try {
      const e = await createEngineTenant(s, QUEUE);
      const created = await createJob(e, { batchSize: 100, retryPolicy: FAST_RETRIES });
      const job = await waitForJob(e, created.id, (j) => TERMINAL.includes(j.status));
      expect(job.status).toBe('completed_with_errors');
      const failed = await asTenant(e, (tx) => tx<{ source_id: string; object: string; batch_id: string; error_kind: string; error_message: string; attempts: number }[]>`
        select source_id, object, batch_id, error_kind, error_message, attempts from freight.job_records where job_id = ${job.id} and status = 'failed'`);
      expect(failed.length).toBeGreaterThanOrEqual(3);
      for (const f of failed) {
        expect(f.error_kind).toBe('validation');
        expect(f.error_message).toMatch(/poison|validation|invalid/i);
      }

      // `temporal workflow signal` with plain JSON: the batch re-runs (poison still on, so it fails again).
      const batchId = failed[0]?.batch_id ?? '';
      const attemptsBefore = (await asTenant(e, (tx) => tx<{ attempts: number }[]>`select attempts from freight.job_batches where job_id = ${job.id} and id = ${batchId}`))[0]?.attempts ?? 0;
      await temporalCli(e, ['workflow', 'signal', '--workflow-id', `job-${job.id}`, '--name', 'retryBatch', '--input', JSON.stringify({ batchId })]);
      await expect.poll(async () => (await asTenant(e, (tx) => tx<{ attempts: number; status: string }[]>`
        select attempts, status from freight.job_batches where job_id = ${job.id} and id = ${batchId}`))[0], { timeout: 30_000, interval: 200 })
        .toMatchObject({ attempts: attemptsBefore + 1, status: 'completed_with_errors' });
      // ...and the workflow is idle again (its references pass included) before we look further.
      await expect.poll(async () => {
        const res = await e.t.call('GET', `/v1/jobs/${job.id}?live=true`, { token: e.key });
        const live = ((await res.json()) as { live?: { status: string; inFlight: string[]; queued: number } }).live;
        return live && live.status === 'completed_with_errors' && live.inFlight.length === 0 && live.queued === 0;
      }, { timeout: 30_000, interval: 200 }).toBe(true);

      // Writes of a record: its attempts plus its references-pass rewrites (counted apart from attempts).
      const others = await asTenant(e, (tx) => tx<{ source_id: string; object: string; attempts: number; unresolved: number }[]>`
        select source_id, object, attempts + reference_rewrites as attempts, unresolved from freight.job_records where job_id = ${job.id} and status <> 'failed'`);
      await sandboxControl(`${s.attio.url}/__sandbox/poison`, 'PATCH', { enabled: false });
      const writesBefore = await attioWrites(s);
      const res = await e.t.call('POST', `/v1/jobs/${job.id}/retry`, { token: e.key, body: { scope: 'failed-records' } });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ accepted: true });
      const done = await waitForJob(e, job.id, (j) => j.status === 'completed');
      expect(Object.values(done.counts).reduce((n, c) => n + (c.failed ?? 0), 0)).toBe(0);
      const after = new Map((await asTenant(e, (tx) => tx<{ source_id: string; object: string; attempts: number }[]>`
        select source_id, object, attempts + reference_rewrites as attempts from freight.job_records where job_id = ${job.id}`)).map((r) => [`${r.object}:${r.source_id}`, r.attempts]));
      // Only the failed records are rewritten — plus, by the references pass, records that pointed at
      // them and could not be linked before (they had unresolved references).
      const rewritten = others.filter((o) => after.get(`${o.object}:${o.source_id}`) !== o.attempts);
      for (const o of rewritten) expect(o.unresolved, `${o.object}:${o.source_id} was rewritten without cause`).toBeGreaterThan(0);
      // Attio saw writes for those records only: each fixed record needs one; a rewritten one at most
      // one (none when its parent is still missing), occasionally a second request; never a whole rerun.
      const writes = await attioWrites(s) - writesBefore;
      expect(writes).toBeGreaterThanOrEqual(failed.length);
      expect(writes).toBeLessThanOrEqual(2 * (failed.length + rewritten.length));
      const report = await verifySandboxes(s, await recordKeys(e, job.id, 'skipped'));
      expect(report.ok, JSON.stringify(report.kinds)).toBe(true);
    } finally {
      await s.affinity.close();
      await s.attio.close();
    }
  });

  it('with 5xx and 429 injected, batches retry per policy and the job still completes exactly once', { timeout: 300_000 }, async () => {
    const s = await startSandboxes({ seed: 'engine-faults', size: 1_500 }, { faults: { seed: 7, rate5xx: 0.01, rate429: 0.02 } });
    try {
      const e = await createEngineTenant(s, QUEUE);
      const created = await createJob(e, { batchSize: 100, retryPolicy: FAST_RETRIES });
      const job = await waitForJob(e, created.id, (j) => TERMINAL.includes(j.status));
      expect(job.status).toBe('completed');
      const [retried] = await asTenant(e, (tx) => tx<{ n: number }[]>`
        select count(*)::int as n from freight.job_batches where job_id = ${job.id} and attempts > 1`);
      expect(retried?.n).toBeGreaterThan(0);
      await sandboxControl(`${s.attio.url}/__sandbox/faults`, 'PUT', {});
      const report = await verifySandboxes(s, await recordKeys(e, job.id, 'skipped'));
      expect(report.ok, JSON.stringify(report.kinds)).toBe(true);
    } finally {
      await s.affinity.close();
      await s.attio.close();
    }
  });

  it('pause stops new batches, resume finishes; `temporal workflow cancel` cancels cleanly with no writes after', { timeout: 300_000 }, async () => {
    // Attio at a real-ish limit so the jobs are still running while we steer them.
    const s = await startSandboxes({ seed: 'engine-steer', size: 1_500 }, { limits: { readsPerSecond: 0, writesPerSecond: 150 } });
    const slowQueue = testTaskQueue('steer-slow');
    const slow = startWorkerProcess(slowQueue, { FREIGHT_ATTIO_WRITES_PER_SEC: '150' });
    try {
      const e = await createEngineTenant(s, slowQueue);
      const job = await createJob(e, { objects: ['organizations', 'persons'], batchSize: 50, concurrency: 2 });
      await waitForJob(e, job.id, (j) => (j.batches.succeeded ?? 0) >= 1);
      expect((await e.t.call('POST', `/v1/jobs/${job.id}/pause`, { token: e.key })).status).toBe(202);
      await waitForJob(e, job.id, (j) => j.status === 'paused' && (j.batches.running ?? 0) === 0, 60_000);
      const started = async (): Promise<number> => (await asTenant(e, (tx) => tx<{ n: number }[]>`
        select count(*)::int as n from freight.job_batches where job_id = ${job.id} and first_started_at is not null`))[0]?.n ?? 0;
      const whilePaused = await started();
      await new Promise((r) => setTimeout(r, 2_000));
      expect(await started()).toBe(whilePaused);
      expect((await getJob(e, job.id)).status).toBe('paused');
      expect((await e.t.call('POST', `/v1/jobs/${job.id}/resume`, { token: e.key })).status).toBe(202);
      expect((await waitForJob(e, job.id, (j) => TERMINAL.includes(j.status))).status).toBe('completed');

      const doomed = await createJob(e, { objects: ['persons', 'notes'], batchSize: 50, concurrency: 2 });
      await waitForJob(e, doomed.id, (j) => (j.batches.succeeded ?? 0) >= 1);
      await temporalCli(e, ['workflow', 'cancel', '--workflow-id', `job-${doomed.id}`]);
      const cancelled = await waitForJob(e, doomed.id, (j) => TERMINAL.includes(j.status), 60_000);
      expect(cancelled.status).toBe('cancelled');
      expect(cancelled.batches.running ?? 0).toBe(0);
      // The workflow closes Canceled once the books are settled: `temporal workflow list` tells the truth.
      await expect.poll(async () => (await temporalCli(e, ['workflow', 'describe', '--workflow-id', `job-${doomed.id}`, '-o', 'json']))
        .includes('WORKFLOW_EXECUTION_STATUS_CANCELED'), { timeout: 30_000 }).toBe(true);
      const writesAtCancel = await attioWrites(s);
      await new Promise((r) => setTimeout(r, 2_000));
      expect(await attioWrites(s)).toBe(writesAtCancel);
    } finally {
      await slow.kill();
      await s.affinity.close();
      await s.attio.close();
    }
  });
});
