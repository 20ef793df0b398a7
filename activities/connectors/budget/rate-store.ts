import { systemClock, type Clock } from '../http/sleep.ts';

/**
 * Where the budgets of several processes meet. A bucket is one API limit (e.g. the writes of one
 * Attio workspace): a GCRA "theoretical arrival time" (`tat`, the end of the last slots handed
 * out), a pause (Retry-After), and the AIMD rate every process paces to. A process takes a *grant*
 * of a few hundred milliseconds' worth of slots in one call and spaces them out locally, so the
 * store sees a few calls per second per busy budget, not one per request.
 *
 * Times in requests and answers are the caller's clock (`Clock.now()`); a store on another host
 * translates (pg-rate-store.ts).
 */
export interface RateStore {
  grant(request: GrantRequest): Promise<Grant>;
  /** A 429: pause the bucket for everyone (`retryAfterMs`) and decrease the rate, once per cooldown. */
  rateLimited(request: RateLimitedRequest): Promise<RateLimitedAnswer>;
  /** Holds the bucket for `ms` without changing its rate (a quota window, maintenance). */
  pause(key: string, ms: number): Promise<void>;
  /** Caps the bucket's rate for `ms` (e.g. Affinity says few calls remain in this minute). */
  cap(key: string, ratePerSec: number, ms: number): Promise<void>;
}

/** The AIMD parameters of a budget; every process sends its own (they agree when configured alike). */
export interface BucketParams {
  /** Highest rate (ceiling × documented limit), slots per second. A change rescales the rate. */
  maxRate: number;
  minRate: number;
  /** Additive increase per `probeMs` without 429. */
  step: number;
  probeMs: number;
  decreaseFactor: number;
  /** 429s within this window of a decrease count as the same congestion event. */
  cooldownMs: number;
}

export interface GrantRequest extends BucketParams {
  key: string;
  /** Slots (cost units) wanted. */
  count: number;
}

export interface Grant {
  /** When the first slot may be used; later ones follow every `intervalMs`. */
  startMs: number;
  intervalMs: number;
  count: number;
  /** The bucket's rate now (capped), slots per second. */
  rate: number;
  pausedUntilMs: number;
}

export interface RateLimitedRequest extends BucketParams {
  key: string;
  retryAfterMs?: number | undefined;
}

export interface RateLimitedAnswer {
  rate: number;
  pausedUntilMs: number;
  /** This 429 started a new congestion event (the rate went down). */
  decreased: boolean;
}

/** One bucket's state: what a `freight.rate_buckets` row holds. */
export interface BucketState {
  maxRate: number;
  rate: number;
  tatMs: number;
  pausedUntilMs: number;
  capRate: number | null;
  capUntilMs: number;
  changedAtMs: number;
  decreasedAtMs: number;
}

/** A bucket seen for the first time: full rate, nothing handed out yet. */
export function newBucket(params: BucketParams, now: number): BucketState {
  return { maxRate: params.maxRate, rate: params.maxRate, tatMs: now, pausedUntilMs: 0, capRate: null, capUntilMs: 0, changedAtMs: now, decreasedAtMs: 0 };
}

/**
 * The grant arithmetic (the SQL function `freight.take_rate_grant` does the same): follow a
 * changed maximum, probe the rate up once per `probeMs`, then hand out `count` slots from
 * max(tat, now, pause) on. No burst credit: an idle bucket starts at `now`, so slots of all
 * processes together are never closer than 1/rate.
 */
export function applyGrant(bucket: BucketState, request: GrantRequest, now: number): { bucket: BucketState; grant: Grant } {
  const b = { ...bucket };
  if (request.maxRate !== b.maxRate) {
    b.rate = Math.min(request.maxRate, Math.max(request.minRate, b.rate * (request.maxRate / b.maxRate)));
    b.maxRate = request.maxRate;
  }
  if (b.rate < b.maxRate && now - b.changedAtMs >= request.probeMs) {
    b.rate = Math.min(b.maxRate, b.rate + request.step);
    b.changedAtMs = now;
  }
  b.rate = Math.max(request.minRate, Math.min(b.maxRate, b.rate));
  const rate = b.capRate !== null && b.capUntilMs > now ? Math.min(b.rate, b.capRate) : b.rate;
  const startMs = Math.max(b.tatMs, now, b.pausedUntilMs);
  const intervalMs = 1000 / rate;
  b.tatMs = startMs + request.count * intervalMs;
  return { bucket: b, grant: { startMs, intervalMs, count: request.count, rate, pausedUntilMs: b.pausedUntilMs } };
}

/** A 429 (the SQL function `freight.note_rate_limited` does the same). */
export function applyRateLimited(bucket: BucketState, request: RateLimitedRequest, now: number): { bucket: BucketState; answer: RateLimitedAnswer } {
  const b = { ...bucket };
  if (request.retryAfterMs !== undefined) b.pausedUntilMs = Math.max(b.pausedUntilMs, now + request.retryAfterMs);
  // Slots handed out before the 429 stay out; new grants start after the pause.
  b.tatMs = Math.max(b.tatMs, b.pausedUntilMs);
  const decreased = now - b.decreasedAtMs >= request.cooldownMs;
  if (decreased) {
    b.rate = Math.max(request.minRate, b.rate * request.decreaseFactor);
    b.decreasedAtMs = now;
    b.changedAtMs = now;
  }
  return { bucket: b, answer: { rate: b.rate, pausedUntilMs: b.pausedUntilMs, decreased } };
}

/**
 * Buckets in this process's memory: what a single process (tests, scripts, a worker without a
 * database store) shares between its budgets. Same arithmetic as the PostgreSQL store.
 */
export function createMemoryRateStore(clock: Clock = systemClock): RateStore & { bucket(key: string): BucketState | undefined } {
  const buckets = new Map<string, BucketState>();
  return {
    bucket: (key) => buckets.get(key),
    grant(request) {
      const now = clock.now();
      const { bucket, grant } = applyGrant(buckets.get(request.key) ?? newBucket(request, now), request, now);
      buckets.set(request.key, bucket);
      return Promise.resolve(grant);
    },
    rateLimited(request) {
      const now = clock.now();
      const { bucket, answer } = applyRateLimited(buckets.get(request.key) ?? newBucket(request, now), request, now);
      buckets.set(request.key, bucket);
      return Promise.resolve(answer);
    },
    pause(key, ms) {
      const b = buckets.get(key);
      if (b) {
        b.pausedUntilMs = Math.max(b.pausedUntilMs, clock.now() + ms);
        b.tatMs = Math.max(b.tatMs, b.pausedUntilMs);
      }
      return Promise.resolve();
    },
    cap(key, ratePerSec, ms) {
      const b = buckets.get(key);
      if (b) {
        b.capRate = ratePerSec;
        b.capUntilMs = clock.now() + ms;
      }
      return Promise.resolve();
    },
  };
}
