import type { Sql } from '../../../shared/db/client.ts';
import { systemClock, type Clock } from '../http/sleep.ts';
import type { RateStore } from './rate-store.ts';

export interface PgRateStoreOptions {
  /** A small pool of its own is best: a grant must not queue behind a batch's record-log writes. */
  sql: Sql;
  clock?: Clock;
}

/**
 * RateStore on PostgreSQL (`freight.rate_buckets`, migration 0060): one function call, one round
 * trip, per grant or per 429. Times in the table are the database server's clock; this process
 * translates them with the offset estimated from the round trips it makes anyway.
 */
export function createPgRateStore(options: PgRateStoreOptions): RateStore {
  const { sql } = options;
  const clock = options.clock ?? systemClock;
  const offset = createOffsetEstimator();

  /** Runs a statement that returns the server's `now_ms`, and learns the clock offset from it. */
  const timed = async <T extends { now_ms: number }>(run: () => Promise<T[]>): Promise<T> => {
    const sent = clock.now();
    const [row] = await run();
    if (!row) throw new Error('rate store: no row returned');
    offset.observe(sent, clock.now(), row.now_ms);
    return row;
  };
  const toLocal = (serverMs: number): number => serverMs - offset.offset();
  // The first round trip of a pool also opens its connection: too slow to place a grant by. A few
  // clock reads first give the offset estimate round trips of a warm connection (once per store).
  let warmed: Promise<void> | undefined;
  const warmUp = (): Promise<void> => (warmed ??= (async () => {
    for (let i = 0; i < 3; i += 1) await timed(() => sql<Array<{ now_ms: number }>>`select (extract(epoch from clock_timestamp()) * 1000)::float8 as now_ms`);
  })().catch(() => {
    warmed = undefined;
  }));

  return {
    async grant(r) {
      await warmUp();
      const row = await timed(() => sql<Array<{ start_ms: number; interval_ms: number; rate: number; paused_until_ms: number; now_ms: number }>>`
        select * from freight.take_rate_grant(${r.key}, ${r.count}, ${r.maxRate}, ${r.minRate}, ${r.step}, ${r.probeMs})`);
      return { startMs: toLocal(row.start_ms), intervalMs: row.interval_ms, count: r.count, rate: row.rate, pausedUntilMs: toLocal(row.paused_until_ms) };
    },
    async rateLimited(r) {
      const [row] = await sql<Array<{ rate: number; paused_until_ms: number; decreased: boolean }>>`
        select * from freight.note_rate_limited(${r.key}, ${r.retryAfterMs ?? null}, ${r.minRate}, ${r.decreaseFactor}, ${r.cooldownMs})`;
      // No row: the bucket was never granted from (nothing to slow down).
      return row ? { rate: row.rate, pausedUntilMs: toLocal(row.paused_until_ms), decreased: row.decreased } : { rate: r.maxRate, pausedUntilMs: 0, decreased: false };
    },
    async pause(key, ms) {
      await sql`select freight.hold_rate_bucket(${key}, ${ms}, ${null})`;
    },
    async cap(key, ratePerSec, ms) {
      await sql`select freight.hold_rate_bucket(${key}, ${ms}, ${ratePerSec})`;
    },
  };
}

export interface OffsetEstimator {
  /** A round trip: sent and received on the local clock, the server's clock read in between. */
  observe(sentMs: number, receivedMs: number, serverMs: number): void;
  /** Server clock minus local clock, best estimate. */
  offset(): number;
}

/**
 * Server-minus-local clock offset from round trips, NTP style: each round trip bounds the offset to
 * [server − received, server − sent]; the intersection of recent bounds is much tighter than any one
 * round trip on a busy machine (where one can take tens of milliseconds). Bounds older than
 * `windowMs` are forgotten (drift); disagreeing bounds (a clock was stepped) restart from the latest.
 */
export function createOffsetEstimator(windowMs = 60_000): OffsetEstimator {
  let samples: Array<{ at: number; low: number; high: number }> = [];
  let low = 0;
  let high = 0;
  const recompute = (): void => {
    low = -Infinity;
    high = Infinity;
    for (const s of samples) {
      low = Math.max(low, s.low);
      high = Math.min(high, s.high);
    }
  };
  return {
    observe(sentMs, receivedMs, serverMs) {
      const sample = { at: receivedMs, low: serverMs - receivedMs, high: serverMs - sentMs };
      samples = samples.filter((s) => receivedMs - s.at <= windowMs);
      samples.push(sample);
      if (samples.length > 64) samples.shift();
      recompute();
      if (low > high) {
        samples = [sample];
        recompute();
      }
    },
    offset: () => (samples.length === 0 ? 0 : (low + high) / 2),
  };
}
