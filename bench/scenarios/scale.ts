/**
 * Scale: a job of about 1,000,000 records runs to the end on one worker process. The worker's
 * resident memory is sampled every 2 s (VmRSS) and its kernel high-water mark (VmHWM) read before it
 * stops; the history length of every run of the job's continue-as-new chain comes from Temporal's
 * visibility listing.
 */
import { Client } from '@temporalio/client';
import { jobWorkflowId } from '../../workflows/migration-job/definitions.ts';
import { createJob, createTenant, recordsDone, waitForJob, workerEnv, type BenchContext } from '../lib/context.ts';
import { memoryMb, startSandboxes, startWorker, stopChild, type Spawned } from '../lib/processes.ts';
import type { ScenarioOptions, ScenarioResult } from './types.ts';

export async function runScale(ctx: BenchContext, o: ScenarioOptions): Promise<ScenarioResult> {
  // The generator's largest kind is ~91% of the account: 910,000 → about 1,000,000 records.
  const size = o.size ?? 910_000;
  let sandbox: Spawned | undefined;
  let worker: Spawned | undefined;
  let sampler: NodeJS.Timeout | undefined;
  try {
    const started = await startSandboxes({ size, seed: o.seed, attioWritesPerSecond: null, cpuProf: o.cpuProf });
    sandbox = started.proc;
    const sandboxes = started.info;
    o.log(`scale: account of ${sandboxes.total} records`);
    const tenant = await createTenant(ctx, sandboxes);
    worker = await startWorker(workerEnv(ctx, null), o.cpuProf);
    const pid = worker.child.pid;
    let peakRss = memoryMb(pid)?.rss ?? 0;
    const rssSeries: number[] = [];
    sampler = setInterval(() => {
      const m = memoryMb(pid);
      if (!m) return;
      peakRss = Math.max(peakRss, m.rss);
      rssSeries.push(m.rss);
    }, 2000);
    const t0 = performance.now();
    const job = await createJob(ctx, tenant, { batchSize: o.batchSize, concurrency: o.concurrency });
    const view = await waitForJob(ctx, tenant, job.id, { timeoutS: o.timeoutS, total: sandboxes.total, log: o.log, pollMs: 2000 });
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    const hwm = memoryMb(pid)?.hwm ?? null;
    const client = new Client({ connection: ctx.temporal, namespace: tenant.namespace });
    const runs: Array<{ runId: string; historyLength: number; status: string }> = [];
    for await (const wf of client.workflow.list({ query: `WorkflowId = '${jobWorkflowId(job.id)}'` })) {
      runs.push({ runId: wf.runId, historyLength: wf.historyLength, status: wf.status.name });
    }
    const maxEvents = Math.max(0, ...runs.map((r) => r.historyLength));
    const records = recordsDone(view);
    const peak = Math.max(peakRss, hwm ?? 0);
    o.log(`scale: ${records} records ${view.status} in ${seconds.toFixed(0)} s; peak worker RSS ${peak} MB; ${runs.length} runs, max ${maxEvents} history events`);
    return {
      metrics: {
        million_job_completed: view.status === 'completed',
        million_job_peak_worker_rss_mb: peak,
        max_history_events_per_run: maxEvents,
      },
      details: {
        job_id: job.id, status: view.status, account_records: sandboxes.total, records, seconds: Math.round(seconds),
        records_per_min: Math.round((records / seconds) * 60), runs: runs.length, peak_rss_sampled_mb: peakRss, vm_hwm_mb: hwm,
        rss_at_quarters_mb: [0.25, 0.5, 0.75, 1].map((q) => rssSeries[Math.max(0, Math.ceil(q * rssSeries.length) - 1)] ?? null),
      },
    };
  } finally {
    if (sampler) clearInterval(sampler);
    await stopChild(worker);
    await stopChild(sandbox);
  }
}
