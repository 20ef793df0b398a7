import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTestContext, type TestContext } from '../../../test/helpers/stack.ts';
import { createSql, type Sql } from '../../../shared/db/client.ts';
import { createPgRateStore } from './pg-rate-store.ts';
import type { RateBudget } from './rate-budget.ts';
import type { BucketParams } from './rate-store.ts';
import { createSharedRateBudget } from './shared-rate-budget.ts';

// The PostgreSQL store against the real server: the SQL functions do the arithmetic of rate-store.ts,
// and two budgets on two pools of the app role (two processes, as far as the database can tell)
// stay under one limit together.

let ctx: TestContext;
const pools: Sql[] = [];
const pool = (): Sql => {
  const sql = createSql({ url: ctx.config.db.url, max: 2, applicationName: `freight-budget-test-${pools.length}` });
  pools.push(sql);
  return sql;
};
const key = (name: string): string => `test:${randomBytes(6).toString('hex')}:${name}`;
const params: BucketParams = { maxRate: 24.5, minRate: 2.5, step: 0.25, probeMs: 500, decreaseFactor: 0.85, cooldownMs: 1000 };

beforeAll(async () => {
  ctx = await getTestContext();
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end({ timeout: 5 })));
});

describe('createPgRateStore', () => {
  it('hands out consecutive grants, pauses and slows on a 429, in one round trip each', async () => {
    const store = createPgRateStore({ sql: pool() });
    const k = key('write');
    const before = Date.now();
    const first = await store.grant({ key: k, count: 6, ...params });
    expect(first.startMs).toBeGreaterThanOrEqual(before - 50);
    expect(first.startMs).toBeLessThanOrEqual(Date.now() + 50);
    expect(first.intervalMs).toBeCloseTo(1000 / 24.5);
    const second = await store.grant({ key: k, count: 6, ...params });
    // Right after the first (or later, if the call came after the first grant ran out); local times
    // also move with the clock-offset estimate, by less than half a round trip.
    expect(second.startMs).toBeGreaterThan(first.startMs + 6 * first.intervalMs - 150);
    const [row] = await ctx.ownerSql.begin(async (tx) => {
      await tx`select set_config('app.scope', 'admin', true)`;
      return tx<Array<{ granted: string; span: number }>>`select granted, tat_ms - changed_at_ms as span from freight.rate_buckets where key = ${k}`;
    });
    expect(Number(row?.granted)).toBe(12);
    // From the row's creation to its theoretical arrival time: at least the two grants end to end
    // (more when the second call came after the first grant had run out: no credit for idle time).
    expect(row?.span ?? 0).toBeGreaterThanOrEqual(12 * first.intervalMs - 0.001);
    const limited = await store.rateLimited({ key: k, retryAfterMs: 1500, ...params });
    expect(limited.decreased).toBe(true);
    expect(limited.rate).toBeCloseTo(24.5 * 0.85);
    expect((await store.rateLimited({ key: k, retryAfterMs: 1500, ...params })).decreased).toBe(false);
    const after = await store.grant({ key: k, count: 1, ...params });
    expect(after.startMs).toBeGreaterThanOrEqual(limited.pausedUntilMs - 1);
    expect(after.rate).toBeCloseTo(24.5 * 0.85);
    await store.cap(k, 2, 10_000);
    expect((await store.grant({ key: k, count: 1, ...params })).rate).toBe(2);
  });

  it('keeps the table to the budget functions: the app role reads no row directly', async () => {
    const store = createPgRateStore({ sql: pool() });
    const k = key('hidden');
    await store.grant({ key: k, count: 1, ...params });
    expect(await ctx.sql`select key from freight.rate_buckets where key = ${k}`).toHaveLength(0);
    const [row] = await ctx.ownerSql.begin(async (tx) => {
      await tx`select set_config('app.scope', 'admin', true)`;
      return tx<Array<{ granted: string }>>`select granted from freight.rate_buckets where key = ${k}`;
    });
    expect(Number(row?.granted)).toBe(1);
  });
});

/** `callers` concurrent callers of `budget` until `untilMs`; the times their slots came. */
async function drive(budget: RateBudget, callers: number, untilMs: number): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(Array.from({ length: callers }, async () => {
    while (Date.now() < untilMs) {
      await budget.acquire();
      times.push(Date.now());
      budget.onSuccess();
    }
  }));
  return times;
}

describe('two processes sharing one budget through PostgreSQL', () => {
  it('stay under the limit together and use most of it', async () => {
    const k = key('attio-write');
    const make = (): RateBudget => createSharedRateBudget({ name: k, key: k, limitPerSec: 25, store: createPgRateStore({ sql: pool() }) });
    const a = make();
    const b = make();
    const start = Date.now();
    const until = start + 6_000;
    const [ta, tb] = await Promise.all([drive(a, 8, until), drive(b, 8, until)]);
    // Slots handed out before `until` (callers that asked just before it got one slightly later).
    const all = [...ta, ...tb].sort((x, y) => x - y);
    const seconds = (all[all.length - 1] as number - (all[0] as number)) / 1000;
    const rate = (all.length - 1) / seconds;
    const perSecond = new Map<number, number>();
    for (const t of all) perSecond.set(Math.floor(t / 1000), (perSecond.get(Math.floor(t / 1000)) ?? 0) + 1);
    const peak = Math.max(...perSecond.values());
    process.stderr.write(`[budget] two pools: ${all.length} slots in ${seconds.toFixed(2)} s = ${rate.toFixed(2)}/s (a ${ta.length}, b ${tb.length}); peak ${peak} in one wall-clock second\n`);
    expect(rate).toBeLessThanOrEqual(25);
    expect(rate).toBeGreaterThan(25 * 0.9);
    // Even spacing: a late timer can push one slot into the next second, never a burst.
    expect(peak).toBeLessThanOrEqual(26);
    expect(Math.min(ta.length, tb.length)).toBeGreaterThan(all.length * 0.3);
  });

  it('a 429 seen by one pauses the other', async () => {
    const k = key('attio-write-429');
    const make = (): RateBudget => createSharedRateBudget({ name: k, key: k, limitPerSec: 25, store: createPgRateStore({ sql: pool() }) });
    const a = make();
    const b = make();
    await Promise.all([drive(a, 2, Date.now() + 500), drive(b, 2, Date.now() + 500)]);
    const pausedAt = Date.now();
    a.onRateLimited(2_000);
    const tb = await drive(b, 4, pausedAt + 2_600);
    // b may finish the grant in hand (≤ 250 ms and a round trip), then nothing until the pause ends.
    expect(tb.filter((t) => t > pausedAt + 500 && t < pausedAt + 1_950)).toHaveLength(0);
    expect(tb.filter((t) => t >= pausedAt + 1_950).length).toBeGreaterThan(0);
  });
});
