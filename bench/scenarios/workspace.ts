/**
 * One Attio workspace, many writers: two tenants, each with its own Attio token of the same workspace,
 * run jobs at once on two worker processes (same task queue: either worker runs either tenant's
 * activities). The sandbox holds the workspace to Attio's 25 writes/s whatever the token; the workers'
 * budgets meet in PostgreSQL (freight.rate_buckets). From the sandbox's per-second series (by the
 * second a request was admitted, as its limiter counts): the most writes the workspace took in one
 * second, the most write requests it was sent (refused ones included), the share of the limit used
 * while writing, and the share of calls answered 429.
 */
import { createJob, createTenant, waitForJob, workerEnv, type BenchContext, type BenchTenant } from '../lib/context.ts';
import { startSandboxes, startWorker, stopChild, type Spawned } from '../lib/processes.ts';
import type { ScenarioOptions, ScenarioResult } from './types.ts';

const LIMIT = 25;
const TENANTS = 2;

interface Second {
  second: number;
  requests: number;
  writes: number;
  writeRequests: number;
  rateLimited: number;
}

export async function runWorkspace(ctx: BenchContext, o: ScenarioOptions): Promise<ScenarioResult> {
  // Each tenant migrates an account of `size`: ~2 × size writes to the one workspace (~3 min at 25/s).
  const size = o.size ?? 2_000;
  const procs: Spawned[] = [];
  const series = new Map<number, Second>();
  let poller: NodeJS.Timeout | undefined;
  try {
    const tokens = Array.from({ length: TENANTS }, (_, i) => `workspace-bench-token-${i + 1}`);
    const started = await startSandboxes({ size, seed: o.seed, attioWritesPerSecond: LIMIT, attioTokens: tokens });
    procs.push(started.proc);
    const sb = started.info;
    o.log(`workspace: ${TENANTS} tenants × ${sb.total} records into one Attio workspace at ${LIMIT} writes/s, ${TENANTS} worker processes`);
    const tenants: BenchTenant[] = [];
    for (const token of sb.attioTokens) tenants.push(await createTenant(ctx, sb, token));
    for (let i = 0; i < 2; i += 1) procs.push(await startWorker(workerEnv(ctx, LIMIT)));
    const url = `${sb.attioUrl}/__sandbox/stats`;
    await fetch(`${url}/reset`, { method: 'POST' });
    // The sandbox keeps 300 s of its series: read the last minute every 20 s and keep every second.
    const collect = async (): Promise<void> => {
      const s = (await (await fetch(`${url}?seconds=60`)).json()) as { perSecond: Second[] };
      for (const b of s.perSecond) series.set(b.second, b);
    };
    poller = setInterval(() => void collect().catch(() => undefined), 20_000);
    const t0 = performance.now();
    const jobs = await Promise.all(tenants.map(async (t) => ({ t, job: await createJob(ctx, t, { batchSize: o.batchSize, concurrency: o.concurrency }) })));
    const views = await Promise.all(jobs.map(({ t, job }, i) => waitForJob(ctx, t, job.id, { timeoutS: o.timeoutS, total: sb.total, ...(i === 0 ? { log: o.log } : {}), pollMs: 500 })));
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(poller);
    await collect();
    const totals = (await (await fetch(url)).json()) as { requests: number; rateLimited: number; writesAccepted: number };
    const busy = [...series.values()].sort((a, b) => a.second - b.second).filter((b) => b.writeRequests > 0);
    const writingSpan = busy.length > 0 ? (busy[busy.length - 1] as Second).second - (busy[0] as Second).second + 1 : 0;
    const peakTried = busy.reduce((m, b) => Math.max(m, b.writeRequests), 0);
    const peakAccepted = busy.reduce((m, b) => Math.max(m, b.writes), 0);
    const over = busy.filter((b) => b.writeRequests > LIMIT).length;
    const accepted = busy.reduce((n, b) => n + b.writes, 0);
    const pct = writingSpan > 0 ? (accepted / writingSpan / LIMIT) * 100 : 0;
    const ratio = totals.requests > 0 ? totals.rateLimited / totals.requests : 0;
    o.log(`workspace: ${totals.writesAccepted} writes accepted in ${seconds.toFixed(1)} s; per second peak ${peakTried} tried / ${peakAccepted} accepted, `
      + `${over} second(s) above ${LIMIT}; ${(pct).toFixed(1)}% of ${LIMIT}/s over ${writingSpan} s of writing; ${totals.rateLimited} of ${totals.requests} calls 429 `
      + `(${views.map((v) => v.status).join(', ')})`);
    return {
      metrics: {
        // Writes the workspace took in its busiest second, and write requests Freight sent in its busiest
        // second (refused ones included: every one above 25 was answered 429).
        workspace_peak_writes_per_sec: peakAccepted,
        workspace_peak_write_requests_per_sec: peakTried,
        workspace_pct_of_limit: Math.round(pct * 10) / 10,
        workspace_429_ratio: Math.round(ratio * 10000) / 10000,
      },
      details: {
        tenants: TENANTS, worker_processes: 2, account_records_per_tenant: sb.total, statuses: views.map((v) => v.status), seconds: Math.round(seconds * 10) / 10,
        writes_accepted: totals.writesAccepted, requests: totals.requests, rate_limited: totals.rateLimited,
        peak_write_requests_per_sec: peakTried, peak_writes_accepted_per_sec: peakAccepted, seconds_above_limit: over, writing_span_s: writingSpan,
      },
    };
  } finally {
    clearInterval(poller);
    for (const p of procs.reverse()) await stopChild(p);
  }
}
