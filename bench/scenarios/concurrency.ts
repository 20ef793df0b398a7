/**
 * Concurrency: 50 small jobs across 10 tenants (each with its own sandbox pair) on one worker
 * process, while a stream of GET requests (job list, one job) goes to the real API process over
 * HTTP; latency is measured by the client from request sent to body read.
 */
import { pickPort } from '../../infra/dev-stack/run.ts';
import { withAdminScope } from '../../shared/db/scope.ts';
import { createJob, createTenant, percentile, TERMINAL, workerEnv, type BenchContext, type BenchTenant } from '../lib/context.ts';
import { startApi, startSandboxes, startWorker, stopChild, type Spawned } from '../lib/processes.ts';
import type { ScenarioOptions, ScenarioResult } from './types.ts';

const TENANTS = 10;
const JOBS_PER_TENANT = 5;
/** Concurrent GET streams against the API. */
const READERS = 4;

export async function runConcurrency(ctx: BenchContext, o: ScenarioOptions): Promise<ScenarioResult> {
  // size 450 → about 500 records per job.
  const size = o.size ?? 450;
  const sandboxProcs: Spawned[] = [];
  let worker: Spawned | undefined;
  let api: Spawned | undefined;
  try {
    // One sandbox pair per tenant, as each customer has its own Affinity account and Attio
    // workspace. (Sharing one workspace made tenants adopt each other's records by source id and
    // one tenant's duplicate clean-up delete what another had adopted.)
    const pairs = await Promise.all(Array.from({ length: TENANTS }, () => startSandboxes({ size, seed: o.seed, attioWritesPerSecond: null })));
    sandboxProcs.push(...pairs.map((p) => p.proc));
    const recordsPerJob = pairs[0]?.info.total ?? 0;
    const port = await pickPort(0, new Set());
    const [apiProc, workerProc] = await Promise.all([startApi(ctx.env, port), startWorker(workerEnv(ctx, null))]);
    api = apiProc;
    worker = workerProc;
    const base = `http://127.0.0.1:${port}`;
    const tenants: BenchTenant[] = [];
    for (const pair of pairs) tenants.push(await createTenant(ctx, pair.info));
    o.log(`concurrency: ${TENANTS} tenants × ${JOBS_PER_TENANT} jobs of ${recordsPerJob} records; API at ${base}`);

    const t0 = performance.now();
    const jobs: Array<{ tenant: BenchTenant; id: string }> = [];
    for (const tenant of tenants) {
      for (let j = 0; j < JOBS_PER_TENANT; j += 1) {
        const job = await createJob(ctx, tenant, { batchSize: o.batchSize, concurrency: o.concurrency });
        jobs.push({ tenant, id: job.id });
      }
    }
    const latencies: number[] = [];
    let errors = 0;
    let done = false;
    const reader = async (r: number): Promise<void> => {
      for (let i = r; !done; i += 1) {
        const job = jobs[i % jobs.length];
        if (!job) break;
        const url = i % 2 === 0 ? `${base}/v1/jobs?limit=20` : `${base}/v1/jobs/${job.id}`;
        const sent = performance.now();
        const res = await fetch(url, { headers: { authorization: `Bearer ${job.tenant.key}` } });
        await res.arrayBuffer();
        latencies.push(performance.now() - sent);
        if (res.status !== 200) errors += 1;
      }
    };
    const readers = Array.from({ length: READERS }, (_, r) => reader(r));
    const final = new Map<string, string>();
    const deadline = Date.now() + o.timeoutS * 1000;
    let lastReport = performance.now();
    while (final.size < jobs.length && Date.now() < deadline) {
      // Status column only (cheap), so the poll does not add to the load being measured.
      const rows = await withAdminScope(ctx.sql, { actor: 'bench', reason: 'benchmark job status', audit: false }, (tx) => tx<{ id: string; status: string }[]>`
        select id, status from freight.jobs where id = any(${jobs.map((j) => j.id)}::uuid[])`);
      for (const row of rows) if (TERMINAL.includes(row.status)) final.set(row.id, row.status);
      if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        o.log(`  ${final.size}/${jobs.length} jobs finished after ${((performance.now() - t0) / 1000).toFixed(0)} s; ${latencies.length} API reads`);
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    done = true;
    await Promise.all(readers);
    const seconds = (performance.now() - t0) / 1000;
    const completed = [...final.values()].filter((s) => s === 'completed').length;
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    o.log(`concurrency: ${completed}/${jobs.length} completed in ${seconds.toFixed(0)} s; API p50 ${p50?.toFixed(1)} ms, p99 ${p99?.toFixed(1)} ms over ${latencies.length} reads`);
    const byStatus: Record<string, number> = {};
    for (const s of final.values()) byStatus[s] = (byStatus[s] ?? 0) + 1;
    return {
      metrics: {
        concurrent_jobs_completed: completed,
        concurrent_jobs_total: jobs.length,
        api_p50_ms: p50 === null ? null : Math.round(p50 * 10) / 10,
        api_p99_ms: p99 === null ? null : Math.round(p99 * 10) / 10,
      },
      details: {
        tenants: TENANTS, jobs: jobs.length, records_per_job: recordsPerJob, sandbox_pairs: pairs.length, seconds: Math.round(seconds), final_status: byStatus,
        api_reads: latencies.length, api_non_200: errors, api_readers: READERS, api_max_ms: Math.round(Math.max(0, ...latencies)),
      },
    };
  } finally {
    await stopChild(api);
    await stopChild(worker);
    await Promise.all(sandboxProcs.map((p) => stopChild(p)));
  }
}
