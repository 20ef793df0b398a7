import { afterAll, describe, expect, it } from 'vitest';
import { pauseMinio, restartPostgres, restartTemporal } from '../helpers/stack-faults.ts';
import { expectedRecords, killLeftoverWorkers, runChaosJob, type ChaosJobResult } from './support/chaos-job.ts';
import { terminateWorkerSessions } from './support/pg-sessions.ts';

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// 1,100 records (size 1,000: organizations, persons, deals, list entries, notes): on a busy 2-core
// machine the job alone runs for 20-60 s, long enough to strike mid-job at a few hundred records.
const SIZE = 1_000;
const STRIKE_AT = 250;

/** The acceptance of every scenario: completed, each record once in Attio, the record log complete and consistent with it. */
function expectIntact(r: ChaosJobResult): void {
  expect(r.job.status, JSON.stringify(r.job)).toBe('completed');
  const records = expectedRecords(r.verification);
  expect(records).toBeGreaterThan(1_000);
  // The fault hit while the job was running, not after it had finished.
  for (const at of r.strikes) expect(at).toBeLessThan(records);
  expect(r.verification.ok, JSON.stringify(r.verification.kinds)).toBe(true);
  for (const kind of Object.values(r.verification.kinds)) expect(kind).toMatchObject({ missing: 0, duplicates: 0, unexpected: 0, mismatches: 0 });
  expect(r.attioIds).toBe(records);
  expect(r.log).toEqual({ rows: records, succeeded: records, targetMissing: 0, sharedTargets: 0, withoutTarget: 0 });
}

describe('chaos: one migration job survives each failure', () => {
  afterAll(killLeftoverWorkers);

  // Each kill strands the in-flight batches until their 30 s heartbeat timeout: the slowest scenario.
  it('SIGKILL of the worker three times during the job', { timeout: 540_000 }, async () => {
    const r = await runChaosJob({
      name: 'sigkill', size: SIZE,
      fault: async (f) => {
        const strikes: number[] = [];
        for (const at of [150, 400, 650]) {
          strikes.push(await f.progressAtLeast(at));
          await f.killWorker('SIGKILL');
          f.startWorker();
        }
        return strikes;
      },
    });
    expectIntact(r);
  });

  // The heartbeat timeout (15 s) bounds how long a dead worker's batches stay stranded.
  it('a SIGKILLed worker\'s batches run again within 15 s of the restart', async () => {
    const delays: Array<{ afterReadyMs: number; afterKillMs: number }> = [];
    const r = await runChaosJob({
      name: 'resume', size: SIZE,
      fault: async (f) => {
        const strikes: number[] = [];
        for (const at of [200, 500]) {
          strikes.push(await f.progressAtLeast(at));
          delays.push(await f.killAndTimeResume());
        }
        return strikes;
      },
    });
    expectIntact(r);
    console.log(`stranded batches resumed ${delays.map((d) => `${(d.afterReadyMs / 1000).toFixed(1)} s after the new worker was up (${(d.afterKillMs / 1000).toFixed(1)} s after the kill)`).join('; ')}`);
    for (const d of delays) expect(d.afterReadyMs).toBeLessThanOrEqual(15_000);
  });

  // Real APIs can be slow: until the first records are in, every Affinity call answers after 61 s (so the
  // first source page takes over a minute), and Attio's first call is refused 429 with Retry-After 90 s.
  // Both waits happen inside running attempts, which heartbeat from a timer every few seconds against a
  // 15 s heartbeat timeout, so none times out however long it waits: the job just takes longer.
  it('a source page of over 60 s and a 429 wait of 90 s: no attempt times out', { timeout: 600_000 }, async () => {
    const r = await runChaosJob({
      name: 'slow', size: 40, timeoutMs: 480_000,
      sandboxes: {
        affinity: { faults: { latencyMs: 61_000 } },
        attio: { faults: { rate429: 1, retryAfterSec: 90 } },
      },
      job: { batchSize: 100, concurrency: 1 },
      fault: async (f) => {
        await waitFor(() => f.sandboxes.attio.stats.snapshot().injected429 >= 1, 300_000);
        f.sandboxes.attio.faults.update({ rate429: 0 });
        await f.progressAtLeast(1, 300_000);
        f.sandboxes.affinity.faults.update({ latencyMs: 0 });
        return [];
      },
    });
    expect(r.job.status, JSON.stringify(r.job)).toBe('completed');
    expect(r.verification.ok, JSON.stringify(r.verification.kinds)).toBe(true);
    expect(r.longestExtractMs).toBeGreaterThanOrEqual(60_000);
    expect(r.attioStats.injected429).toBeGreaterThanOrEqual(1);
    expect(r.timedOutAttempts).toBe(0);
    expect(r.retriedAttempts).toBe(0);
    console.log(`slow APIs: longest extract ${Math.round(r.longestExtractMs / 1000)} s, ${r.attioStats.injected429} Attio 429 of 90 s, job ${Math.round(r.durationMs / 1000)} s, 0 attempts timed out`);
  });

  it('Temporal dev server restarted mid-job (same port, same SQLite file)', async () => {
    const r = await runChaosJob({
      name: 'temporal', size: SIZE,
      fault: async (f) => {
        const at = await f.progressAtLeast(STRIKE_AT);
        await restartTemporal();
        return [at];
      },
    });
    expectIntact(r);
  });

  it('PostgreSQL restarted mid-job (pg_ctl stop -m fast, start)', async () => {
    const r = await runChaosJob({
      name: 'postgres', size: SIZE,
      fault: async (f) => {
        const at = await f.progressAtLeast(STRIKE_AT);
        await restartPostgres();
        return [at];
      },
    });
    expectIntact(r);
  });

  // A failover's length: every database call of the worker fails for 90 s. The activities wait it out
  // inside their attempts, so the outage spends none of the job's retry attempts.
  it('PostgreSQL down for 90 s mid-job: no retry attempt spent', { timeout: 540_000 }, async () => {
    const r = await runChaosJob({
      name: 'pg-outage', size: SIZE, timeoutMs: 300_000,
      fault: async (f) => {
        const at = await f.progressAtLeast(STRIKE_AT);
        await restartPostgres(90_000);
        return [at];
      },
    });
    expectIntact(r);
    expect(r.retriedAttempts).toBe(0);
  });

  // What a restart does once, five times over and without the pause: transactions of in-flight
  // activities are cut between statements too (the worker's postgres.js must fail them, not hang).
  it('PostgreSQL ends the worker\'s sessions five times mid-job (pg_terminate_backend)', async () => {
    const r = await runChaosJob({
      name: 'pg-terminate', size: SIZE,
      fault: async (f) => {
        const strikes: number[] = [];
        let ended = 0;
        for (const at of [100, 250, 400, 550, 700]) {
          strikes.push(await f.progressAtLeast(at));
          // A strike right after another may find the pool not reconnected yet: none to end then.
          ended += await terminateWorkerSessions();
        }
        expect(ended).toBeGreaterThan(0);
        return strikes;
      },
    });
    expectIntact(r);
  });

  it('S3 (MinIO) down for 20 s mid-job', async () => {
    const r = await runChaosJob({
      name: 's3', size: SIZE,
      fault: async (f) => {
        const at = await f.progressAtLeast(STRIKE_AT);
        await pauseMinio(20_000);
        return [at];
      },
    });
    expectIntact(r);
  });
});
