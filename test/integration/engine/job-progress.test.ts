import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  progress: { processed: number; estimatedTotal: number | null; percent: number | null; etaSeconds: number | null };
}

const get = async <T>(path: string): Promise<T> => {
  const res = await e.t.call('GET', path, { token: e.key });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
};

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
    const counts = sandboxes.affinity.account.counts;
    const expected = counts.organizations + counts.persons + counts.opportunities + counts.notes + counts.listEntries + counts.opportunityListEntries;
    const created = await createJob(e, { batchSize: 100, concurrency: 2 });

    const polls: Polled[] = [];
    const deadline = Date.now() + 240_000;
    for (;;) {
      const job = await get<Polled>(`/v1/jobs/${created.id}`);
      polls.push(job);
      if (TERMINAL.includes(job.status)) break;
      if (Date.now() > deadline) throw new Error(`job did not finish: ${JSON.stringify(job)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const final = polls.at(-1);
    expect(final?.status).toBe('completed');
    // The estimate is the call plan's count, made at creation: close to what the record log reaches
    // (the account's counting endpoints and its listings differ by a few records: note replies,
    // merged ids), and percent is clamped at 100 when processed overtakes it.
    const estimate = final?.progress.estimatedTotal ?? 0;
    expect(Math.abs(estimate - expected) / expected, `estimate ${estimate}, processed ${expected}`).toBeLessThan(0.02);
    expect(final?.progress).toMatchObject({ processed: expected, percent: 100, etaSeconds: null });

    const running = polls.filter((p) => p.status === 'running' || p.status === 'pending');
    expect(running.length).toBeGreaterThan(3);
    let last = 0;
    for (const p of polls) {
      expect(p.progress.percent, JSON.stringify(p)).not.toBeNull();
      const percent = p.progress.percent ?? -1;
      expect(percent).toBeGreaterThanOrEqual(last);
      expect(percent).toBeLessThanOrEqual(100);
      last = percent;
    }
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
    const batches = await get<{ data: { attempts: number }[] }>(`/v1/jobs/${created.id}/batches?limit=1000`);
    expect(batches.data.length).toBeGreaterThan(10);
    expect(batches.data.every((b) => b.attempts === 1), JSON.stringify(batches.data.map((b) => b.attempts))).toBe(true);
    const stats = await get<{ recordRetryRate: number; averageRetriesPerJob: number }>('/v1/stats');
    expect(stats).toMatchObject({ recordRetryRate: 0, averageRetriesPerJob: 0 });
  });
});
