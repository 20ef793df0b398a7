import { systemClock, type Clock } from '../http/sleep.ts';

/** What a call needs from its budget(s): a slot before it is sent, and the outcome after. */
export interface Pacer {
  /**
   * Resolves when the caller may send one request costing `cost` units (default 1; Attio's query
   * score budget charges a query its estimated score). Slots are evenly spaced: no bursts.
   */
  acquire(signal?: AbortSignal, cost?: number): Promise<void>;
  /** The server answered 429: slow down and hold every caller until the wait is over. */
  onRateLimited(retryAfterMs?: number): void;
  /** A call went through without 429: lets the rate probe back up. */
  onSuccess(): void;
}

/** A pacing budget for one class of calls (e.g. the Attio writes of one workspace). */
export interface RateBudget extends Pacer {
  readonly name: string;
  /** Holds every caller for `ms` without changing the rate (quota windows, maintenance). */
  pauseFor(ms: number): void;
  /** Replaces the documented limit (e.g. the API's headers announce another one, or none: Infinity). */
  setLimit(limitPerSec: number): void;
  /** Caps the rate until `untilMs` (e.g. Affinity says few calls remain in this minute). */
  capRate(ratePerSec: number, untilMs: number): void;
  stats(): RateBudgetStats;
}

export interface RateBudgetStats {
  name: string;
  ratePerSec: number;
  maxRatePerSec: number;
  limitPerSec: number;
  acquired: number;
  rateLimited: number;
  decreases: number;
}

export interface RateBudgetOptions {
  name: string;
  /** The documented limit, e.g. 25 writes/s for Attio. */
  limitPerSec: number;
  /**
   * Highest fraction of the limit the budget probes up to. Even spacing at 98% of the limit keeps
   * jitter from pushing two requests into one server window, while still using ≥ 95% of it.
   */
  ceiling?: number;
  /** Multiplicative decrease on 429 (AIMD). */
  decreaseFactor?: number;
  /** Additive increase, as a fraction of the limit, once per `probeIntervalMs` without 429. */
  increaseStep?: number;
  probeIntervalMs?: number;
  /** Floor of the rate, as a fraction of the limit. */
  floor?: number;
  /** 429s within this window of a decrease count as the same congestion event. */
  decreaseCooldownMs?: number;
  clock?: Clock;
  /** Called when a caller has to wait for its slot (metrics: rate-limit waits). */
  onWait?: (ms: number) => void;
  /** Called on every 429 the budget is told about. */
  onRateLimited?: () => void;
}

/**
 * Adaptive pacer: a GCRA-style slot scheduler (one slot every 1/rate s) whose rate follows AIMD —
 * multiplicative decrease on 429, additive probe back up to `ceiling × limit`. One instance is
 * shared by every concurrent caller of the same budget key in a process; with a shared store the
 * registry uses `createSharedRateBudget` instead, which falls back to this one when the store fails.
 */
export function createRateBudget(options: RateBudgetOptions): RateBudget {
  const clock = options.clock ?? systemClock;
  let limit = options.limitPerSec;
  let maxRate = limit * (options.ceiling ?? 0.98);
  let minRate = Math.max(0.1, limit * (options.floor ?? 0.1));
  let step = limit * (options.increaseStep ?? 0.01);
  const decreaseFactor = options.decreaseFactor ?? 0.85;
  const probeIntervalMs = options.probeIntervalMs ?? 500;
  const cooldownMs = options.decreaseCooldownMs ?? 1000;

  let rate = maxRate;
  let nextSlotAt = 0;
  let pausedUntil = 0;
  let epoch = 0;
  let lastChangeAt = clock.now();
  let capped: { rate: number; until: number } | undefined;
  const counters = { acquired: 0, rateLimited: 0, decreases: 0 };

  const currentRate = (now: number): number => {
    if (capped && now >= capped.until) capped = undefined;
    return capped ? Math.min(rate, capped.rate) : rate;
  };

  return {
    name: options.name,
    async acquire(signal, cost = 1) {
      for (;;) {
        const now = clock.now();
        const slot = Math.max(now, nextSlotAt, pausedUntil);
        const rateNow = currentRate(slot);
        nextSlotAt = Number.isFinite(rateNow) ? slot + (1000 * cost) / rateNow : slot;
        const myEpoch = epoch;
        // Waits under a millisecond are below the clock's and the timers' resolution (a timer
        // would wait a whole one): at very high limits every caller would pay 1 ms for nothing.
        if (slot - now >= 1) {
          options.onWait?.(slot - now);
          await clock.sleep(slot - now, signal);
        }
        // A 429 while we slept moved everyone behind the pause: take a new slot after it.
        if (myEpoch === epoch || clock.now() >= pausedUntil) break;
      }
      counters.acquired += 1;
    },
    onRateLimited(retryAfterMs) {
      const now = clock.now();
      counters.rateLimited += 1;
      options.onRateLimited?.();
      epoch += 1;
      if (retryAfterMs !== undefined) pausedUntil = Math.max(pausedUntil, now + retryAfterMs);
      nextSlotAt = Math.max(nextSlotAt, pausedUntil);
      if (now - lastChangeAt >= cooldownMs || counters.decreases === 0) {
        rate = Math.max(minRate, rate * decreaseFactor);
        counters.decreases += 1;
        lastChangeAt = now;
      }
    },
    onSuccess() {
      const now = clock.now();
      if (rate < maxRate && now - lastChangeAt >= probeIntervalMs) {
        rate = Math.min(maxRate, rate + step);
        lastChangeAt = now;
      }
    },
    pauseFor(ms) {
      const until = clock.now() + ms;
      if (until <= pausedUntil) return;
      pausedUntil = until;
      epoch += 1;
      nextSlotAt = Math.max(nextSlotAt, pausedUntil);
    },
    setLimit(limitPerSec) {
      if (limitPerSec === limit || !(limitPerSec > 0)) return;
      const share = rate / maxRate;
      limit = limitPerSec;
      maxRate = limit * (options.ceiling ?? 0.98);
      minRate = Math.max(0.1, limit * (options.floor ?? 0.1));
      step = limit * (options.increaseStep ?? 0.01);
      // Keep the AIMD position relative to the new ceiling (an unlimited pool runs unpaced).
      rate = Number.isFinite(maxRate) ? maxRate * (Number.isFinite(share) ? share : 1) : Infinity;
    },
    capRate(ratePerSec, untilMs) {
      capped = { rate: Math.max(0.01, ratePerSec), until: untilMs };
    },
    stats() {
      return { name: options.name, ratePerSec: currentRate(clock.now()), maxRatePerSec: maxRate, limitPerSec: limit, ...counters };
    },
  };
}
