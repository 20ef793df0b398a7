/**
 * Rate-limited: the Attio sandbox enforces 25 writes/s per token (Attio's real limit) and the worker is
 * configured with the same budget. A real job runs end to end; the sandbox's own counters
 * (/__sandbox/stats) give the writes it accepted and the calls it answered 429. The rate is
 * accepted writes over the job's whole wall time (created → terminal), so stalls between object kinds
 * and batches count against it.
 */
import { createJob, createTenant, waitForJob, workerEnv, type BenchContext } from '../lib/context.ts';
import { startSandboxes, startWorker, stopChild, type Spawned } from '../lib/processes.ts';
import type { ScenarioOptions, ScenarioResult } from './types.ts';

export const ATTIO_WRITE_LIMIT = 25;

interface SandboxStats {
  requests: number;
  writes: number;
  writesAccepted: number;
  firstWriteAt: string | null;
  lastWriteAt: string | null;
  rateLimited: number;
  byStatus: Record<string, number>;
  writesPerSecond: { peak: number; average: number };
}

export async function runRateLimited(ctx: BenchContext, o: ScenarioOptions): Promise<ScenarioResult> {
  // About 5,500 records ≈ 4 min at 25 writes/s: long enough that start-up (schema, first pages) and
  // the close (references pass, report) are a small share of the job.
  const size = o.size ?? 5_000;
  let sandbox: Spawned | undefined;
  let worker: Spawned | undefined;
  try {
    const started = await startSandboxes({ size, seed: o.seed, attioWritesPerSecond: ATTIO_WRITE_LIMIT });
    sandbox = started.proc;
    const sandboxes = started.info;
    o.log(`rate-limited: account of ${sandboxes.total} records at ${ATTIO_WRITE_LIMIT} writes/s (floor ${(sandboxes.total / ATTIO_WRITE_LIMIT).toFixed(0)} s)`);
    const tenant = await createTenant(ctx, sandboxes);
    worker = await startWorker(workerEnv(ctx, ATTIO_WRITE_LIMIT));
    const stats = async (): Promise<SandboxStats> => (await (await fetch(`${sandboxes.attioUrl}/__sandbox/stats`)).json()) as SandboxStats;
    await fetch(`${sandboxes.attioUrl}/__sandbox/stats/reset`, { method: 'POST' });
    const t0 = performance.now();
    const createdAt = Date.now();
    const job = await createJob(ctx, tenant, { batchSize: o.batchSize, concurrency: o.concurrency });
    const view = await waitForJob(ctx, tenant, job.id, { timeoutS: o.timeoutS, total: sandboxes.total, log: o.log, pollMs: 250 });
    const seconds = (performance.now() - t0) / 1000;
    // Totals since the reset (not the stats' per-second series, which holds the last minute only).
    const s = await stats();
    const accepted = s.writesAccepted;
    const writesPerSec = accepted / seconds;
    const secondsAfterCreate = (iso: string | null): number | null => (iso ? Math.round((Date.parse(iso) - createdAt) / 100) / 10 : null);
    const firstWrite = secondsAfterCreate(s.firstWriteAt);
    const lastWrite = secondsAfterCreate(s.lastWriteAt);
    // First accepted write to last: the rate while writing, without the job's set-up and close.
    const span = firstWrite !== null && lastWrite !== null ? Math.max(1, lastWrite - firstWrite) : null;
    o.log(`rate-limited: ${accepted} writes accepted in ${seconds.toFixed(1)} s = ${writesPerSec.toFixed(2)}/s (first at ${firstWrite} s, last at ${lastWrite} s); ${s.rateLimited} of ${s.requests} calls answered 429 (${view.status})`);
    return {
      metrics: {
        ratelimited_pct_of_limit: Math.round((writesPerSec / ATTIO_WRITE_LIMIT) * 1000) / 10,
        ratelimited_429_ratio: s.requests > 0 ? Math.round((s.rateLimited / s.requests) * 10000) / 10000 : null,
      },
      details: {
        job_id: job.id, status: view.status, account_records: sandboxes.total, seconds: Math.round(seconds * 10) / 10,
        writes_accepted: accepted, writes_per_sec: Math.round(writesPerSec * 100) / 100, requests: s.requests, rate_limited: s.rateLimited,
        by_status: s.byStatus, peak_writes_per_sec: s.writesPerSecond.peak,
        // Where the job's time went: seconds after the job was created of the first and last accepted write.
        first_write_at_s: firstWrite, last_write_at_s: lastWrite, writing_span_s: span,
        writes_per_sec_while_writing: span !== null ? Math.round((accepted / span) * 100) / 100 : null,
        pct_of_limit_while_writing: span !== null ? Math.round((accepted / span / ATTIO_WRITE_LIMIT) * 1000) / 10 : null,
      },
    };
  } finally {
    await stopChild(worker);
    await stopChild(sandbox);
  }
}
