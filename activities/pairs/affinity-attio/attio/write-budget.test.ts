import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAttioSandbox, type AttioSandbox } from '../../../../infra/sandbox/attio/index.ts';
import { runWriteBench } from './write-budget-bench.ts';

/**
 * The short version of scripts/bench-write-budget.ts: with the sandbox at Attio's 25 writes/s,
 * 200 writes from 16 concurrent writers take ≥ 7.5 s (never faster than allowed), use ≥ 95% of
 * the rate, and at most 1% of calls are answered 429.
 */
let sb: AttioSandbox;

beforeAll(async () => {
  sb = await startAttioSandbox({ limits: { writesPerSecond: 25, readsPerSecond: 100 } });
});
afterAll(async () => {
  await sb?.close();
});

describe('Attio write budget', () => {
  it('uses ≥ 95% of 25 writes/s with ≤ 1% answered 429', async () => {
    const result = await runWriteBench({ baseUrl: sb.url, token: sb.token, writes: 200, concurrency: 16 });
    expect(result.seconds).toBeGreaterThanOrEqual(7.5);
    expect(result.rateLimitedRatio).toBeLessThanOrEqual(0.01);
    expect(result.utilisation).toBeGreaterThanOrEqual(0.95 * (200 / 201));
    const stats = sb.stats.snapshot();
    expect(stats.rateLimited).toBe(result.rateLimited);
  }, 30_000);
});
