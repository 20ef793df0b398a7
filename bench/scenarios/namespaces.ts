/**
 * Namespaces: many tenants, one small job each, on worker processes whose capacity is capped per
 * process (FREIGHT_WORKER_MAX_NAMESPACES and the shared slot budgets). First one worker process, then
 * two (a second job per tenant) to show how the namespace leases split the tenants between them.
 * Prints, per process, its thread count and RSS (before the jobs, peak, at the end), the namespaces
 * it served (at once and in all) and how many namespaces waited for a place. No timed assertions.
 */
import { readFileSync } from 'node:fs';
import { withAdminScope } from '../../shared/db/scope.ts';
import { createJob, createTenant, percentile, TERMINAL, workerEnv, type BenchContext, type BenchTenant } from '../lib/context.ts';
import { memoryMb, startSandboxFleet, startWorker, stopChild, threadCount, type Spawned } from '../lib/processes.ts';
import type { ScenarioOptions, ScenarioResult } from './types.ts';

/** The caps under test (each can be overridden from the environment). */
const CAPS: Record<string, string> = {
  FREIGHT_WORKER_MAX_NAMESPACES: '20',
  FREIGHT_WORKER_MAX_CONCURRENT_ACTIVITIES: '80',
  FREIGHT_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '160',
  FREIGHT_WORKER_MAX_CACHED_WORKFLOWS: '200',
};
/** Tenants set up at once (each registers a Temporal namespace). */
const SETUP_PARALLEL = 8;

interface ProcessReport {
  pid: number | undefined;
  threads: { before_jobs: number | null; peak: number; final: number | null };
  rss_mb: { before_jobs: number | null; peak_vmhwm: number | null; final: number | null };
  namespaces_served_at_once_max: number;
  /** Distinct namespaces this process started a Worker for, and Workers started in all (its log). */
  namespaces_served_in_all: number;
  workers_started: number;
}

interface PhaseReport {
  processes: number;
  jobs: number;
  completed: number;
  final_status: Record<string, number>;
  seconds: number;
  waiting_namespaces_max: number;
  /** From a namespace's (last) Worker start to its job's first activity (beginJob): the first workflow task's wait. */
  first_activity_after_worker_start_s: { p50: number | null; p90: number | null; max: number | null };
  per_process: ProcessReport[];
}

/** When each namespace's Workers started, from a worker process's log (`worker started` lines). */
function workerStarts(logFile: string): Map<string, number[]> {
  const starts = new Map<string, number[]>();
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.includes('"worker started"')) continue;
    try {
      const entry = JSON.parse(line) as { namespace: string; time: string };
      starts.set(entry.namespace, [...(starts.get(entry.namespace) ?? []), Date.parse(entry.time)]);
    } catch {
      // A line cut short when the process stopped.
    }
  }
  return starts;
}

const pidOfWorkerId = (workerId: string): number => Number(/-(\d+)-[0-9a-f]{8}$/.exec(workerId)?.[1] ?? NaN);

async function runPhase(ctx: BenchContext, o: ScenarioOptions, tenants: BenchTenant[], processes: number): Promise<PhaseReport> {
  const workers: Spawned[] = [];
  let report: Omit<PhaseReport, 'first_activity_after_worker_start_s'> | undefined;
  const ids: string[] = [];
  try {
    const env = workerEnv(ctx, null, { FREIGHT_WORKER_METRICS_PORT: '0', ...Object.fromEntries(Object.entries(CAPS).map(([k, v]) => [k, process.env[k] ?? v])) });
    workers.push(...await Promise.all(Array.from({ length: processes }, () => startWorker(env, o.cpuProf))));
    const pids = workers.map((w) => w.child.pid);
    const before = pids.map((pid) => ({ threads: threadCount(pid), rss: memoryMb(pid)?.rss ?? null }));
    const peakThreads = pids.map(() => 0);
    const servedAtOnce = pids.map(() => 0);
    const servedInAll = pids.map(() => new Set<string>());
    let waitingMax = 0;
    const procTimer = setInterval(() => pids.forEach((pid, i) => { peakThreads[i] = Math.max(peakThreads[i] ?? 0, threadCount(pid) ?? 0); }), 250);

    const t0 = performance.now();
    const jobs: Array<{ tenant: BenchTenant; id: string }> = [];
    for (const tenant of tenants) jobs.push({ tenant, id: (await createJob(ctx, tenant, { batchSize: o.batchSize, concurrency: o.concurrency })).id });
    o.log(`namespaces: ${jobs.length} jobs created in ${((performance.now() - t0) / 1000).toFixed(0)} s on ${processes} worker process(es)`);

    ids.push(...jobs.map((j) => j.id));
    const final = new Map<string, string>();
    const deadline = Date.now() + o.timeoutS * 1000;
    let lastReport = performance.now();
    try {
      while (final.size < jobs.length && Date.now() < deadline) {
        const { rows, leases, waiting } = await withAdminScope(ctx.sql, { actor: 'bench', reason: 'benchmark namespaces', audit: false }, async (tx) => ({
          rows: await tx<{ id: string; status: string }[]>`select id, status from freight.jobs where id = any(${ids}::uuid[])`,
          leases: await tx<{ worker_id: string; namespace: string }[]>`
            select worker_id, namespace from freight.worker_namespace_leases where task_queue = ${ctx.config.temporal.taskQueue} and expires_at > now()`,
          waiting: (await tx<{ n: number }[]>`
            select count(distinct j.namespace)::int as n from freight.jobs j
            where j.id = any(${ids}::uuid[]) and j.status in ('pending', 'running', 'paused')
              and not exists (select 1 from freight.worker_namespace_leases l
                              where l.task_queue = ${ctx.config.temporal.taskQueue} and l.namespace = j.namespace and l.expires_at > now())`)[0]?.n ?? 0,
        }));
        for (const row of rows) if (TERMINAL.includes(row.status)) final.set(row.id, row.status);
        waitingMax = Math.max(waitingMax, waiting);
        pids.forEach((pid, i) => {
          const mine = leases.filter((l) => pidOfWorkerId(l.worker_id) === pid);
          servedAtOnce[i] = Math.max(servedAtOnce[i] ?? 0, mine.length);
          for (const l of mine) servedInAll[i]?.add(l.namespace);
        });
        if (performance.now() - lastReport > 10_000) {
          lastReport = performance.now();
          const served = pids.map((pid) => leases.filter((l) => pidOfWorkerId(l.worker_id) === pid).length).join(' + ');
          o.log(`  ${final.size}/${jobs.length} jobs finished after ${((performance.now() - t0) / 1000).toFixed(0)} s; namespaces served ${served}, waiting ${waiting}; worker threads ${pids.map((p) => threadCount(p)).join(' / ')}`);
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
    } finally {
      clearInterval(procTimer);
    }
    const seconds = (performance.now() - t0) / 1000;
    const byStatus: Record<string, number> = {};
    for (const s of final.values()) byStatus[s] = (byStatus[s] ?? 0) + 1;
    const perProcess = pids.map((pid, i): ProcessReport => {
      const mem = memoryMb(pid);
      return {
        pid,
        threads: { before_jobs: before[i]?.threads ?? null, peak: peakThreads[i] ?? 0, final: threadCount(pid) },
        rss_mb: { before_jobs: before[i]?.rss ?? null, peak_vmhwm: mem?.hwm ?? null, final: mem?.rss ?? null },
        namespaces_served_at_once_max: servedAtOnce[i] ?? 0,
        namespaces_served_in_all: servedInAll[i]?.size ?? 0,
        workers_started: 0,
      };
    });
    report = { processes, jobs: jobs.length, completed: byStatus.completed ?? 0, final_status: byStatus, seconds: Math.round(seconds), waiting_namespaces_max: waitingMax, per_process: perProcess };
  } finally {
    await Promise.all(workers.map((w) => stopChild(w)));
  }
  // The logs are complete once the workers have stopped.
  const starts = workers.map((w) => workerStarts(w.logFile));
  report.per_process.forEach((p, i) => {
    const mine = starts[i] ?? new Map<string, number[]>();
    p.namespaces_served_in_all = mine.size;
    p.workers_started = [...mine.values()].reduce((n, t) => n + t.length, 0);
  });
  const begun = await withAdminScope(ctx.sql, { actor: 'bench', reason: 'benchmark namespaces', audit: false }, (tx) =>
    tx<{ namespace: string; started_at: Date | null }[]>`select namespace, started_at from freight.jobs where id = any(${ids}::uuid[])`);
  const waits = begun.flatMap(({ namespace, started_at: startedAt }) => {
    const before = starts.flatMap((m) => m.get(namespace) ?? []).filter((t) => startedAt && t <= startedAt.getTime());
    return startedAt && before.length > 0 ? [(startedAt.getTime() - Math.max(...before)) / 1000] : [];
  });
  const round1 = (v: number | null): number | null => (v === null ? null : Math.round(v * 10) / 10);
  const full: PhaseReport = {
    ...report,
    first_activity_after_worker_start_s: { p50: round1(percentile(waits, 50)), p90: round1(percentile(waits, 90)), max: round1(waits.length > 0 ? Math.max(...waits) : null) },
  };
  const f = full.first_activity_after_worker_start_s;
  o.log(`namespaces: ${processes} process(es): ${full.completed}/${full.jobs} completed in ${full.seconds} s; at most ${full.waiting_namespaces_max} namespaces waited for a place; first activity ${f.p50} / ${f.p90} / ${f.max} s (p50 / p90 / max) after the namespace's Worker started`);
  for (const p of full.per_process) {
    o.log(`  worker pid ${p.pid}: threads ${p.threads.before_jobs} before jobs, peak ${p.threads.peak}, final ${p.threads.final}; RSS ${p.rss_mb.before_jobs} MB before, peak ${p.rss_mb.peak_vmhwm} MB, final ${p.rss_mb.final} MB; namespaces ${p.namespaces_served_at_once_max} at once, ${p.namespaces_served_in_all} in all (${p.workers_started} Worker starts)`);
  }
  return full;
}

export async function runNamespaces(ctx: BenchContext, o: ScenarioOptions & { tenants: number; processes: number[] }): Promise<ScenarioResult> {
  const size = o.size ?? 20;
  const fleet = await startSandboxFleet({ count: o.tenants, size, seed: o.seed });
  try {
    const t0 = performance.now();
    const tenants: BenchTenant[] = [];
    const total = Object.values(fleet.counts).reduce((a, b) => a + b, 0);
    for (let i = 0; i < fleet.attio.length; i += SETUP_PARALLEL) {
      tenants.push(...await Promise.all(fleet.attio.slice(i, i + SETUP_PARALLEL).map((attio) => createTenant(ctx, {
        affinityUrl: fleet.affinityUrl, affinityKey: fleet.affinityKey, attioUrl: attio.url, attioToken: attio.token, attioTokens: [attio.token], counts: fleet.counts, total,
      }))));
    }
    const caps = Object.fromEntries(Object.entries(CAPS).map(([k, v]) => [k, Number(process.env[k] ?? v)]));
    o.log(`namespaces: ${tenants.length} tenants (a namespace, a workspace and a ~${total}-record job each) set up in ${((performance.now() - t0) / 1000).toFixed(0)} s; caps ${JSON.stringify(caps)}`);
    const phases: PhaseReport[] = [];
    for (const processes of o.processes) phases.push(await runPhase(ctx, o, tenants, processes));
    const first = phases[0];
    return {
      metrics: {
        namespaces_jobs_completed: first?.completed ?? null,
        namespaces_jobs_total: first?.jobs ?? null,
        namespaces_worker_threads_peak: first ? Math.max(...first.per_process.map((p) => p.threads.peak)) : null,
        namespaces_worker_rss_peak_mb: first ? Math.max(...first.per_process.map((p) => p.rss_mb.peak_vmhwm ?? 0)) : null,
      },
      details: { tenants: tenants.length, records_per_job: total, caps, phases },
    };
  } finally {
    await stopChild(fleet.proc);
  }
}
