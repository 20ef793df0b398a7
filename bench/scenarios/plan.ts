/**
 * The plan before a job (issue 16 item 2's acceptance), two measures:
 *  a. calls — the demo's account (seed `demo`, 5,000 records) with the limits off: POST /v1/plans, then
 *     the job of that request. The plan's records per object kind against what the job logged, and its
 *     calls per endpoint against what the Affinity sandbox (/__sandbox/requests) and the Attio sandbox
 *     (/__sandbox/requests) counted while the job ran (the worker starts after the counters are reset,
 *     so the plan's own counting and the creation's checks are not in them).
 *  b. ETA — the sandboxes at their defaults, i.e. the vendors' published limits (Attio 25 writes/s and
 *     100 reads/s, Affinity 900/min), the worker at the documented budgets, a job of about 2,000
 *     records: the plan's ETA against the measured time (created → terminal).
 * Both print a table; numbers only, no timed assertion.
 */
import { withTenant } from '../../shared/db/scope.ts';
import type { JobCallPlan } from '../../shared/jobs/call-plan.ts';
import type { JobPlan } from '../../shared/jobs/job-planning.ts';
import { createTenant, recordsDone, waitForJob, workerEnv, type BenchContext, type BenchTenant, type JobView } from '../lib/context.ts';
import { startSandboxes, startWorker, stopChild, type SandboxInfo, type Spawned } from '../lib/processes.ts';
import { compareCalls, formatComparison, type CallRow } from './plan-compare.ts';
import type { ScenarioOptions, ScenarioResult } from './types.ts';

export interface PlanBenchOptions extends ScenarioOptions {
  /** Records of the ETA job (b); default 2,000. */
  etaSize: number;
}

type Counted = { byEndpoint: Record<string, number | { requests: number }> };
const endpointCounts = async (url: string): Promise<Record<string, number>> => {
  const body = (await (await fetch(`${url}/__sandbox/requests`)).json()) as Counted;
  return Object.fromEntries(Object.entries(body.byEndpoint).map(([k, v]) => [k, typeof v === 'number' ? v : v.requests]));
};
const resetCounts = async (s: SandboxInfo): Promise<void> => {
  await fetch(`${s.affinityUrl}/__sandbox/reset`, { method: 'POST' });
  await fetch(`${s.attioUrl}/__sandbox/stats/reset`, { method: 'POST' });
};

async function planAndCreate(ctx: BenchContext, t: BenchTenant, o: ScenarioOptions): Promise<{ plan: JobPlan; job: JobView & { callPlan: JobCallPlan | null } }> {
  const body = { sourceConnectionId: t.sourceId, targetConnectionId: t.targetId, batchSize: o.batchSize, concurrency: o.concurrency };
  const plan = await ctx.call<JobPlan>('POST', '/v1/plans', t.key, body, [200]);
  const job = await ctx.call<JobView & { callPlan: JobCallPlan | null }>('POST', '/v1/jobs', t.key, body);
  ctx.created.push({ tenant: t, jobId: job.id });
  return { plan, job };
}

/** Records the job logged per object kind (every status). */
const loggedByObject = (view: JobView): Record<string, number> =>
  Object.fromEntries(Object.entries(view.counts ?? {}).map(([k, byStatus]) => [k, Object.values(byStatus).reduce((a, b) => a + b, 0)]));

async function measureCalls(ctx: BenchContext, o: ScenarioOptions): Promise<{ counts: Record<string, [number, number]>; rows: CallRow[]; jobId: string }> {
  let sandbox: Spawned | undefined;
  let worker: Spawned | undefined;
  try {
    const started = await startSandboxes({ size: o.size ?? 5_000, seed: 'demo', attioWritesPerSecond: null });
    sandbox = started.proc;
    const s = started.info;
    const tenant = await createTenant(ctx, s);
    const { plan, job } = await planAndCreate(ctx, tenant, o);
    // No worker yet: the job's workflow waits, so nothing it does is counted before the reset.
    await resetCounts(s);
    worker = await startWorker(workerEnv(ctx, null));
    const view = await waitForJob(ctx, tenant, job.id, { timeoutS: o.timeoutS, total: s.total, log: o.log });
    const logged = loggedByObject(view);
    const counts = Object.fromEntries(Object.entries(plan.counts).map(([k, n]) => [k, [n, logged[k] ?? 0] as [number, number]]));
    const rows = compareCalls(plan.callPlan, await endpointCounts(s.affinityUrl), await endpointCounts(s.attioUrl));
    o.log(`plan: calls job ${view.status} (${recordsDone(view)} records); sandbox counts ${JSON.stringify(s.counts)}`);
    return { counts, rows, jobId: job.id };
  } finally {
    await stopChild(worker);
    await stopChild(sandbox);
  }
}

/** When each object kind's batches ran, in seconds after the job was created: where the measured time went. */
async function kindSpans(ctx: BenchContext, t: BenchTenant, jobId: string): Promise<string> {
  const rows = await withTenant(ctx.sql, t.id, (tx) => tx<{ object: string; first: number; last: number }[]>`
    select b.object, extract(epoch from min(b.first_started_at) - j.created_at)::float8 as first, extract(epoch from max(b.finished_at) - j.created_at)::float8 as last
    from freight.job_batches b join freight.jobs j on j.id = b.job_id where b.job_id = ${jobId} group by b.object, j.created_at order by 2`);
  return rows.map((r) => `${r.object} ${r.first.toFixed(1)}–${r.last.toFixed(1)} s`).join(', ');
}

async function measureEta(ctx: BenchContext, o: PlanBenchOptions): Promise<{ etaS: number | null; measuredS: number; status: string; records: number; plan: JobPlan; rows: CallRow[]; spans: string; rateLimited: number }> {
  let sandbox: Spawned | undefined;
  let worker: Spawned | undefined;
  try {
    const started = await startSandboxes({ size: o.etaSize, seed: o.seed, attioWritesPerSecond: null, realLimits: true });
    sandbox = started.proc;
    const tenant = await createTenant(ctx, started.info);
    // The documented budgets (no FREIGHT_ATTIO_* / FREIGHT_AFFINITY_* override): what the plan assumes.
    worker = await startWorker(ctx.env);
    const { plan, job } = await planAndCreate(ctx, tenant, o);
    const t0 = performance.now();
    // Right after creation (the workflow's first task has not run yet): the calls below are the job's, a second look at the call model on another account.
    await resetCounts(started.info);
    const view = await waitForJob(ctx, tenant, job.id, { timeoutS: o.timeoutS, total: started.info.total, log: o.log, pollMs: 250 });
    const measuredS = (performance.now() - t0) / 1000;
    const eta = job.callPlan?.share?.sharedMs ?? job.callPlan?.eta?.totalMs;
    const rows = compareCalls(job.callPlan, await endpointCounts(started.info.affinityUrl), await endpointCounts(started.info.attioUrl));
    const stats = (await (await fetch(`${started.info.attioUrl}/__sandbox/stats`)).json()) as { rateLimited: number };
    return {
      etaS: eta === undefined ? null : eta / 1000, measuredS, status: view.status, records: recordsDone(view), plan, rows,
      spans: await kindSpans(ctx, tenant, job.id), rateLimited: stats.rateLimited,
    };
  } finally {
    await stopChild(worker);
    await stopChild(sandbox);
  }
}

const round = (n: number | null, d = 3): number | null => (n === null ? null : Math.round(n * 10 ** d) / 10 ** d);

export async function runPlan(ctx: BenchContext, o: PlanBenchOptions): Promise<ScenarioResult> {
  const calls = await measureCalls(ctx, o);
  const countLines = Object.entries(calls.counts).map(([k, [planned, logged]]) => `  ${k.padEnd(16)} plan ${String(planned).padStart(7)}   job ${String(logged).padStart(7)}`);
  console.log(`\n(a) records per object kind (plan vs logged by the job)\n${countLines.join('\n')}`);
  console.log(`\n(a) calls per endpoint (plan vs counted by the sandboxes)\n${formatComparison(calls.rows)}`);
  const maxError = (side: string): number | null => {
    const ratios = calls.rows.filter((r) => r.side === side && r.ratio !== null).map((r) => Math.abs((r.ratio as number) - 1));
    return ratios.length > 0 ? round(Math.max(...ratios)) : null;
  };
  const eta = await measureEta(ctx, o);
  const ratio = eta.etaS ? eta.measuredS / eta.etaS : null;
  console.log(`\n(b) calls per endpoint of the ETA job (seed ${o.seed}, real limits)\n${formatComparison(eta.rows)}`);
  const phases = (eta.plan.callPlan?.eta?.phases ?? []).map((p) => `${p.phase} ${(p.ms / 1000).toFixed(1)} s (${p.boundBy})`).join(', ');
  console.log(`(b) plan phases: ${phases}\n(b) measured (batches of each kind, after creation): ${eta.spans}; Attio answered ${eta.rateLimited} calls 429`);
  console.log(`\n(b) ETA at the real limits: job of ${eta.records} records ${eta.status}; plan ETA ${eta.etaS?.toFixed(1)} s, measured ${eta.measuredS.toFixed(1)} s, measured/ETA ${ratio?.toFixed(3)}`);
  return {
    metrics: {
      plan_counts_equal: Object.values(calls.counts).every(([p, l]) => p === l),
      plan_affinity_calls_max_error: maxError('affinity'),
      plan_attio_calls_max_error: maxError('attio'),
      plan_eta_s: round(eta.etaS, 1), plan_measured_s: round(eta.measuredS, 1), plan_measured_over_eta: round(ratio),
    },
    details: {
      counts: calls.counts, calls: calls.rows, calls_job: calls.jobId,
      eta_job: { records: eta.records, status: eta.status, phases: eta.plan.callPlan?.eta?.phases, warnings: eta.plan.warnings, calls: eta.rows },
    },
  };
}
