import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobCallPlan, JobCallPlanner } from '../../../shared/jobs/call-plan.ts';
import { createTestApp } from '../support/app.ts';
import { getTestContext } from '../../helpers/stack.ts';
import {
  createEngineTenant, createJob, startSandboxes, startWorkerProcess, testTaskQueue, TERMINAL,
  type EngineTenant, type Sandboxes, type WorkerProcess,
} from '../../helpers/engine.ts';

const QUEUE = testTaskQueue('progress');

let sandboxes: Sandboxes;
let e: EngineTenant;
let worker: WorkerProcess;

interface Polled {
  status: string;
  progress: {
    processed: number; estimatedTotal: number | null; estimateBasis: string | null; estimateNote: string;
    percent: number | null; etaSeconds: number | null;
  };
}

const get = async <T>(path: string): Promise<T> => {
  const res = await e.t.call('GET', path, { token: e.key });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
};

/** Polls a job's detail every 200 ms until it is finished: every answer, in order. */
async function pollToTheEnd(jobId: string): Promise<Polled[]> {
  const polls: Polled[] = [];
  const deadline = Date.now() + 240_000;
  for (;;) {
    const job = await get<Polled>(`/v1/jobs/${jobId}`);
    polls.push(job);
    if (TERMINAL.includes(job.status)) return polls;
    if (Date.now() > deadline) throw new Error(`job did not finish: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Percent never decreases over the polls that have one, and never passes 100. */
function expectNeverDecreasing(polls: readonly Polled[]): void {
  let last = 0;
  for (const p of polls) {
    if (p.progress.percent === null) continue;
    expect(p.progress.percent, JSON.stringify(p)).toBeGreaterThanOrEqual(last);
    expect(p.progress.percent).toBeLessThanOrEqual(100);
    last = p.progress.percent;
  }
}

/** Records the job's record log reaches on a clean run (as the account's counts say). */
const expectedRecords = () => {
  const c = sandboxes.affinity.account.counts;
  return c.organizations + c.persons + c.opportunities + c.notes + c.listEntries + c.opportunityListEntries;
};

/** An app whose job creation uses `planCalls` instead of the pair's planner (same tenant, key and worker). */
async function appWith(planCalls: JobCallPlanner) {
  const ctx = await getTestContext();
  return createTestApp({ config: { temporal: { ...ctx.config.temporal, taskQueue: QUEUE } }, planCalls });
}

async function createWith(planCalls: JobCallPlanner): Promise<string> {
  const t = await appWith(planCalls);
  const res = await t.call('POST', '/v1/jobs', {
    token: e.key, body: { sourceConnectionId: e.sourceConnectionId, targetConnectionId: e.targetConnectionId, batchSize: 100, concurrency: 2 },
  });
  if (res.status !== 201) throw new Error(`job: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

beforeAll(async () => {
  sandboxes = await startSandboxes({ seed: 'engine-progress', size: 2_000 });
  e = await createEngineTenant(sandboxes, QUEUE);
  worker = startWorkerProcess(QUEUE);
});

afterAll(async () => {
  await worker?.kill();
  await sandboxes?.affinity.close();
  await sandboxes?.attio.close();
});

describe('a real job reports honest progress and honest retries', () => {
  it('percent from the first poll, never decreasing, an ETA once records flow; a clean run reports no retries', { timeout: 300_000 }, async () => {
    const expected = expectedRecords();
    const created = await createJob(e, { batchSize: 100, concurrency: 2 });
    const polls = await pollToTheEnd(created.id);
    const final = polls.at(-1);
    expect(final?.status).toBe('completed');
    // The estimate starts as the call plan's count (the account's counting endpoints and its listings
    // differ by a few records: note replies, merged ids) and is replaced kind by kind by what was read:
    // exact once every kind is read.
    expect(final?.progress).toMatchObject({ processed: expected, estimatedTotal: expected, estimateBasis: 'extracted', percent: 100, etaSeconds: null });

    const running = polls.filter((p) => p.status === 'running' || p.status === 'pending');
    expect(running.length).toBeGreaterThan(3);
    for (const p of polls) expect(p.progress.percent, JSON.stringify(p)).not.toBeNull();
    expect(Math.abs((polls[0]?.progress.estimatedTotal ?? 0) - expected) / expected).toBeLessThan(0.02);
    expect(polls[0]?.progress.estimateBasis).toBe('call_plan');
    expectNeverDecreasing(polls);
    // No rate, no ETA: before the first record is written there is nothing to divide by.
    for (const p of running.filter((r) => r.status === 'running' && r.progress.processed > 0 && r.progress.processed < expected)) {
      expect(p.progress.etaSeconds, JSON.stringify(p)).not.toBeNull();
    }
    expect(running.some((p) => p.progress.processed > 0 && p.progress.etaSeconds !== null)).toBe(true);

    // The sandbox account has records written before what they reference (the references pass
    // rewrites them): counted as rewrites, not retries.
    const report = await get<{ retries: { total: number }; referenceRewrites: { records: number; batches: number } }>(`/v1/jobs/${created.id}/report`);
    expect(report.retries.total).toBe(0);
    expect(report.referenceRewrites.records).toBeGreaterThan(0);
    const batches = await get<{ data: { attempts: number; referenceRewrites: number }[] }>(`/v1/jobs/${created.id}/batches?limit=1000`);
    expect(batches.data.length).toBeGreaterThan(10);
    expect(batches.data.every((b) => b.attempts === 1), JSON.stringify(batches.data.map((b) => b.attempts))).toBe(true);
    // The batch log shows the references pass as its own figure.
    expect(batches.data.reduce((n, b) => n + b.referenceRewrites, 0)).toBe(report.referenceRewrites.batches);
    expect(report.referenceRewrites.batches).toBeGreaterThan(0);
    const rewritten = await get<{ data: { attempts: number; referenceRewrites: number }[] }>(`/v1/jobs/${created.id}/records?limit=1000`);
    expect(rewritten.data.every((r) => r.attempts === 1)).toBe(true);
    const stats = await get<{ recordRetryRate: number; averageRetriesPerJob: number }>('/v1/stats');
    expect(stats).toMatchObject({ recordRetryRate: 0, averageRetriesPerJob: 0 });
  });

  it('a plan that counted kinds wrong is corrected as each kind is read, and its percent never goes back', { timeout: 300_000 }, async () => {
    const c = sandboxes.affinity.account.counts;
    const expected = expectedRecords();
    // Organizations (read first) overcounted: the total falls once they are read. Notes (read last,
    // when most records are processed) counted as 1: the total grows with each page of them, which
    // without the kept percent would pull the bar back.
    const byObject = {
      organizations: c.organizations + 50, persons: c.persons, opportunities: c.opportunities,
      lists: c.listEntries + c.opportunityListEntries, notes: 1,
    };
    const wrong: JobCallPlan = {
      system: 'affinity', records: byObject, byObject, lines: [], total: 100, countingCalls: 0, callsPerRecord: null, monthlyRemaining: null,
      monthlyLimit: null, monthlyResetSec: null, fits: true, warning: null, assumptions: [], error: null, plannedAt: new Date().toISOString(),
    };
    const jobId = await createWith(async () => wrong);
    const polls = await pollToTheEnd(jobId);
    const planned = Object.values(byObject).reduce((n, v) => n + v, 0);
    expect(polls[0]?.progress.estimatedTotal).toBe(planned);
    for (const p of polls) expect(p.progress.percent, JSON.stringify(p)).not.toBeNull();
    expectNeverDecreasing(polls);
    // Down once organizations were read to their end, up while notes were read past the plan.
    const totals = polls.map((p) => p.progress.estimatedTotal ?? 0);
    expect(totals.some((n, i) => i > 0 && n < (totals[i - 1] ?? 0)), JSON.stringify(totals)).toBe(true);
    expect(totals.some((n, i) => i > 0 && n > (totals[i - 1] ?? 0)), JSON.stringify(totals)).toBe(true);
    expect(polls.at(-1)).toMatchObject({ status: 'completed', progress: { processed: expected, estimatedTotal: expected, estimateBasis: 'extracted', percent: 100 } });
  });

  it('a job without a plan says so, and has a percent and an ETA once every kind is read', { timeout: 300_000 }, async () => {
    const expected = expectedRecords();
    const jobId = await createWith(async () => undefined);
    const polls = await pollToTheEnd(jobId);
    expect(polls[0]?.progress).toMatchObject({ estimatedTotal: null, estimateBasis: null, percent: null, etaSeconds: null });
    expect(polls[0]?.progress.estimateNote).toMatch(/no call plan.*once every object kind has been read/);
    // Until the total is known there is no percent; from then on it never decreases.
    const first = polls.findIndex((p) => p.progress.percent !== null);
    expect(first).toBeGreaterThan(0);
    expect(polls.slice(first).every((p) => p.progress.percent !== null && p.progress.estimatedTotal === expected)).toBe(true);
    for (const p of polls.slice(first).filter((r) => r.status === 'running' && r.progress.processed > 0 && r.progress.processed < expected)) {
      expect(p.progress.etaSeconds, JSON.stringify(p)).not.toBeNull();
    }
    expectNeverDecreasing(polls);
    expect(polls.at(-1)).toMatchObject({ status: 'completed', progress: { processed: expected, estimatedTotal: expected, estimateBasis: 'extracted', percent: 100 } });
  });
});
