/**
 * Manual retry latency: a job that finished with errors (poisoned records) stays open for retries;
 * each of its batches is retried through the API, one at a time. Latency runs from the moment the
 * retry request is sent to the moment the retried batch's load activity began executing, read from
 * the activity's own attempt row (`job_batches.last_started_at`, set by its first statement). That
 * end point is a little later than the ActivityTaskStarted event (it includes the activity's first
 * two reads), so the figure errs on the slow side. Each retry waits for the previous one to finish,
 * (and for the job to settle again: a retry re-runs the references pass), so every sample starts from
 * an idle job. Both clocks are this machine's.
 */
import { withAdminScope } from '../../shared/db/scope.ts';
import { createJob, createTenant, percentile, waitForJob, workerEnv, type BenchContext } from '../lib/context.ts';
import { startSandboxes, startWorker, stopChild, type Spawned } from '../lib/processes.ts';
import type { ScenarioOptions, ScenarioResult } from './types.ts';

interface BatchTimes {
  status: string;
  last_started_ms: number | null;
  finished_ms: number | null;
}

export async function runRetryLatency(ctx: BenchContext, o: ScenarioOptions & { retries: number }): Promise<ScenarioResult> {
  const size = o.size ?? 500;
  let sandbox: Spawned | undefined;
  let worker: Spawned | undefined;
  try {
    // Poisoned records fail validation in Attio, so the job ends completed_with_errors and stays open.
    const started = await startSandboxes({ size, seed: o.seed, attioWritesPerSecond: null, poisonRate: 0.02 });
    sandbox = started.proc;
    const tenant = await createTenant(ctx, started.info);
    worker = await startWorker(workerEnv(ctx, null));
    // Small batches: a retry rewrites its whole batch, and the next sample waits for it.
    const job = await createJob(ctx, tenant, { batchSize: 25, concurrency: o.concurrency });
    const view = await waitForJob(ctx, tenant, job.id, { timeoutS: o.timeoutS, log: o.log });
    if (view.status !== 'completed_with_errors') throw new Error(`retry scenario needs a job open for retries; it ended ${view.status}`);
    const batches = await withAdminScope(ctx.sql, { actor: 'bench', reason: 'retry benchmark', audit: false }, (tx) => tx<{ id: string }[]>`
      select id from freight.job_batches where job_id = ${job.id} and record_count > 0 order by object, seq`);
    o.log(`retry: job ${job.id} finished ${view.status} with ${batches.length} batches; ${o.retries} retries follow`);
    const times = async (batchId: string): Promise<BatchTimes> => {
      const [row] = await withAdminScope(ctx.sql, { actor: 'bench', reason: 'retry benchmark', audit: false }, (tx) => tx<BatchTimes[]>`
        select status, (extract(epoch from last_started_at) * 1000)::float8 as last_started_ms, (extract(epoch from finished_at) * 1000)::float8 as finished_ms
        from freight.job_batches where job_id = ${job.id} and id = ${batchId}`);
      if (!row) throw new Error(`batch ${batchId} vanished`);
      return row;
    };
    const finishedMs = async (): Promise<number> => {
      const [row] = await withAdminScope(ctx.sql, { actor: 'bench', reason: 'retry benchmark', audit: false }, (tx) => tx<{ ms: number | null }[]>`
        select (extract(epoch from finished_at) * 1000)::float8 as ms from freight.jobs where id = ${job.id}`);
      return row?.ms ?? 0;
    };
    const samples: number[] = [];
    const deadline = Date.now() + o.timeoutS * 1000;
    for (let i = 0; i < o.retries && Date.now() < deadline; i += 1) {
      const batchId = batches[i % batches.length]?.id as string;
      // The job settles a moment after its last batch; finished_at marks it (kept apart from sentMs).
      await new Promise((r) => setTimeout(r, 50));
      const sentMs = Date.now();
      const answer = await ctx.call<{ accepted: boolean }>('POST', `/v1/jobs/${job.id}/batches/${batchId}/retry`, tenant.key);
      if (!answer.accepted) throw new Error(`retry of ${batchId} not accepted: ${JSON.stringify(answer)}`);
      let t = await times(batchId);
      while ((t.last_started_ms ?? 0) < sentMs && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 5));
        t = await times(batchId);
      }
      samples.push((t.last_started_ms ?? 0) - sentMs);
      // The next sample starts from an idle job: the retry, and the references pass it triggers,
      // are over once the job is settled again (finished_at moves at every settlement).
      while ((await finishedMs()) < sentMs && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    }
    const p50 = percentile(samples, 50);
    const p99 = percentile(samples, 99);
    o.log(`retry: ${samples.length} retries; signal → batch executing p50 ${p50?.toFixed(0)} ms, p99 ${p99?.toFixed(0)} ms`);
    return {
      metrics: { retry_latency_p50_ms: p50 === null ? null : Math.round(p50), retry_latency_p99_ms: p99 === null ? null : Math.round(p99) },
      details: {
        job_id: job.id, retries: samples.length, batches: batches.length, max_ms: Math.round(Math.max(0, ...samples)),
        measured: 'retry API request sent → job_batches.last_started_at of the retried batch (first statement of its load activity)',
      },
    };
  } finally {
    await stopChild(worker);
    await stopChild(sandbox);
  }
}
