import { abortable } from '../../../shared/db/abortable.ts';
import { systemClock } from '../http/sleep.ts';
import { createRateBudget, type RateBudget, type RateBudgetOptions } from './rate-budget.ts';
import type { BucketParams, RateStore } from './rate-store.ts';

/**
 * Limits above this many calls per second are not shared: no real API of ours has one (Attio 100/s,
 * Affinity 15/s), they mean "limits off" (benchmarks), and a round trip per grant would be wasted.
 */
export const SHARED_MAX_RATE = 1000;

export interface SharedRateBudgetOptions extends RateBudgetOptions {
  /** The bucket's key in the store (never a token in clear: the registry hashes it). */
  key: string;
  store: RateStore;
  /** How much time one grant covers at the current rate (default 250 ms). */
  grantMs?: number;
  /** The store failed: this process paces alone (at the full rate) for `fallbackMs`, then tries again. */
  onStoreError?: (error: unknown) => void;
  fallbackMs?: number;
  /** A grant not answered within this long counts as a failure (a database restarting; default 2 s). */
  storeTimeoutMs?: number;
}

interface Slots {
  /** Local time of the next unused slot, and how many cost units are left. */
  next: number;
  left: number;
  intervalMs: number;
}

/**
 * A budget shared through a RateStore by every process that uses the same key: it takes grants of
 * `grantMs` worth of slots from the store (one round trip) and hands them out to its callers evenly
 * spaced, like the local pacer. AIMD lives in the store, so a 429 seen by one process slows and
 * pauses all of them (each learns at its next grant, within about `grantMs`).
 *
 * Slots of a grant that passed unused (no caller was waiting) are dropped, not sent late in a burst;
 * the next grant is asked for only when the slots in hand cover less than a grant, so no process
 * reserves far ahead of the others.
 */
export function createSharedRateBudget(options: SharedRateBudgetOptions): RateBudget {
  const clock = options.clock ?? systemClock;
  const grantMs = options.grantMs ?? 250;
  const fallbackMs = options.fallbackMs ?? 5_000;
  const storeTimeoutMs = options.storeTimeoutMs ?? 2_000;
  const ceiling = options.ceiling ?? 0.98;
  let limit = options.limitPerSec;
  const params = (): BucketParams => ({
    maxRate: limit * ceiling,
    minRate: Math.max(0.1, limit * (options.floor ?? 0.1)),
    step: limit * (options.increaseStep ?? 0.01),
    probeMs: options.probeIntervalMs ?? 500,
    decreaseFactor: options.decreaseFactor ?? 0.85,
    cooldownMs: options.decreaseCooldownMs ?? 1000,
  });
  // Also the pacer of the fallback and of limits too high to share (same options, same behaviour);
  // 429s are counted and reported here, not twice.
  const { onRateLimited: _reportedHere, ...localOptions } = options;
  const local = createRateBudget({ ...localOptions, clock });
  const shared = (): boolean => Number.isFinite(limit) && limit <= SHARED_MAX_RATE;

  let rate = limit * ceiling;
  let slots: Slots = { next: 0, left: 0, intervalMs: 0 };
  let pausedUntil = 0;
  let epoch = 0;
  let localUntil = 0;
  let refilling: Promise<void> | undefined;
  /** The last 429 report, so a grant asked for after it is computed after it. */
  let reported: Promise<unknown> = Promise.resolve();
  let sentCap: { rate: number; until: number } | undefined;
  const counters = { acquired: 0, rateLimited: 0, decreases: 0 };

  const storeFailed = (error: unknown): void => {
    localUntil = clock.now() + fallbackMs;
    options.onStoreError?.(error);
  };

  /** `promise`, or a rejection once `storeTimeoutMs` passed (callers must not wait on a database that is away). */
  const inTime = async <T>(promise: Promise<T>): Promise<T> => {
    const timer = new AbortController();
    const late = new Promise<never>((_resolve, reject) => {
      clock.sleep(storeTimeoutMs, timer.signal).then(() => reject(new Error(`rate store: no answer within ${storeTimeoutMs} ms`)), () => undefined);
    });
    try {
      return await Promise.race([promise, late]);
    } finally {
      timer.abort();
    }
  };

  const refill = async (cost: number): Promise<void> => {
    // Ask when the slots in hand cover less than one more grant: a round trip (tens of milliseconds
    // on a busy machine) then ends before they do, and no process holds more than two grants ahead.
    const end = slots.next + slots.left * slots.intervalMs;
    const early = end - grantMs - clock.now();
    if (early > 0) await clock.sleep(early);
    const count = Math.max(cost, Math.max(1, Math.round((rate * grantMs) / 1000)));
    try {
      // The grant is computed after the last 429 report, but a report the store never answers must
      // not hold every later request: bounded like the grant itself (the rejection goes local).
      await inTime(reported);
      const grant = await inTime(options.store.grant({ key: options.key, count, ...params() }));
      rate = grant.rate;
      pausedUntil = Math.max(pausedUntil, grant.pausedUntilMs);
      slots = { next: grant.startMs, left: grant.count, intervalMs: grant.intervalMs };
    } catch (error) {
      storeFailed(error);
    }
  };

  return {
    name: options.name,
    async acquire(signal, cost = 1) {
      for (;;) {
        signal?.throwIfAborted();
        if (!shared() || clock.now() < localUntil) {
          await local.acquire(signal, cost);
          break;
        }
        // Slots more than one interval in the past went unused: drop them rather than burst. During
        // a pause, every slot before its end is dropped (two callers must not both wake at its end).
        const now = clock.now();
        const from = pausedUntil > now ? pausedUntil : now - slots.intervalMs;
        if (slots.left > 0 && slots.next < from) {
          const stale = Math.min(slots.left, Math.ceil((from - slots.next) / slots.intervalMs));
          slots.next += stale * slots.intervalMs;
          slots.left -= stale;
        }
        if (slots.left >= cost) {
          const slot = Math.max(slots.next, pausedUntil);
          slots.next += cost * slots.intervalMs;
          slots.left -= cost;
          const myEpoch = epoch;
          const wait = slot - clock.now();
          // Sub-millisecond waits are below the timers' resolution (see rate-budget.ts).
          if (wait >= 1) {
            options.onWait?.(wait);
            await clock.sleep(wait, signal);
          }
          // A 429 while we slept moved everyone behind the pause: take a new slot after it.
          if (myEpoch === epoch || clock.now() >= pausedUntil) break;
          continue;
        }
        // Fewer units left than this call costs: they go unused (a query score larger than a grant).
        slots.left = 0;
        refilling ??= refill(cost).finally(() => {
          refilling = undefined;
        });
        await abortable(refilling, signal);
      }
      counters.acquired += 1;
    },
    onRateLimited(retryAfterMs) {
      counters.rateLimited += 1;
      options.onRateLimited?.();
      local.onRateLimited(retryAfterMs);
      epoch += 1;
      if (retryAfterMs !== undefined) pausedUntil = Math.max(pausedUntil, clock.now() + retryAfterMs);
      if (!shared()) return;
      reported = options.store.rateLimited({ key: options.key, retryAfterMs, ...params() }).then((answer) => {
        rate = answer.rate;
        if (answer.decreased) counters.decreases += 1;
      }, storeFailed);
    },
    onSuccess() {
      local.onSuccess();
    },
    pauseFor(ms) {
      local.pauseFor(ms);
      const until = clock.now() + ms;
      if (until <= pausedUntil) return;
      pausedUntil = until;
      epoch += 1;
      if (shared()) options.store.pause(options.key, ms).catch(storeFailed);
    },
    setLimit(limitPerSec) {
      if (limitPerSec === limit || !(limitPerSec > 0)) return;
      local.setLimit(limitPerSec);
      const share = rate / (limit * ceiling);
      limit = limitPerSec;
      // The store rescales the shared rate the same way at the next grant (a changed maximum).
      rate = Number.isFinite(limit) ? limit * ceiling * (Number.isFinite(share) ? share : 1) : Infinity;
    },
    capRate(ratePerSec, untilMs) {
      local.capRate(ratePerSec, untilMs);
      if (!shared()) return;
      // Headers repeat the same cap on every response: tell the store only when it moves.
      const moved = !sentCap || Math.abs(sentCap.rate - ratePerSec) > sentCap.rate * 0.05 || Math.abs(sentCap.until - untilMs) > 1000;
      if (!moved) return;
      sentCap = { rate: ratePerSec, until: untilMs };
      options.store.cap(options.key, Math.max(0.01, ratePerSec), Math.max(0, untilMs - clock.now())).catch(storeFailed);
    },
    stats() {
      if (!shared()) return { ...local.stats(), ...counters };
      return { name: options.name, ratePerSec: rate, maxRatePerSec: limit * ceiling, limitPerSec: limit, ...counters };
    },
  };
}
