export interface RateLimiterOptions {
  /** Sustained rate: tokens added per minute. */
  perMinute: number;
  /** Bucket size: how many requests may arrive at once after a quiet spell. */
  burst: number;
  now?: () => number;
  /** Buckets kept before full (idle) ones are swept; bounds memory. */
  maxBuckets?: number;
}

export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until one token is available again (0 when allowed). */
  retryAfterSeconds: number;
  remaining: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
  perMinute: number;
  capacity: number;
}

/**
 * In-memory token buckets keyed by tenant or admin actor. Each process keeps its own, so with N
 * replicas a client gets up to N× the limit; a multi-replica deployment needs a shared store
 * (e.g. Redis or a PostgreSQL counter) behind the same interface.
 */
export function createRateLimiter(options: RateLimiterOptions) {
  const now = options.now ?? Date.now;
  const maxBuckets = options.maxBuckets ?? 50_000;
  const buckets = new Map<string, Bucket>();

  function refill(bucket: Bucket, t: number): void {
    const elapsedMinutes = Math.max(0, t - bucket.updatedAt) / 60_000;
    bucket.tokens = Math.min(bucket.capacity, bucket.tokens + elapsedMinutes * bucket.perMinute);
    bucket.updatedAt = t;
  }

  function sweep(t: number): void {
    for (const [key, bucket] of buckets) {
      refill(bucket, t);
      if (bucket.tokens >= bucket.capacity) buckets.delete(key);
    }
  }

  /** Takes one token for `key`; `perMinuteOverride` is a tenant's own limit. */
  function take(key: string, perMinuteOverride?: number | null): RateDecision {
    const t = now();
    const perMinute = perMinuteOverride ?? options.perMinute;
    // A tenant limited below the burst must not get a burst larger than its whole minute.
    const capacity = Math.max(1, Math.min(options.burst, perMinute));
    let bucket = buckets.get(key);
    if (!bucket) {
      if (buckets.size >= maxBuckets) sweep(t);
      bucket = { tokens: capacity, updatedAt: t, perMinute, capacity };
      buckets.set(key, bucket);
    } else {
      refill(bucket, t);
      if (bucket.perMinute !== perMinute || bucket.capacity !== capacity) {
        Object.assign(bucket, { perMinute, capacity, tokens: Math.min(bucket.tokens, capacity) });
      }
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0, remaining: Math.floor(bucket.tokens) };
    }
    const secondsPerToken = 60 / perMinute;
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) * secondsPerToken));
    return { allowed: false, retryAfterSeconds, remaining: 0 };
  }

  return { take };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
