import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './token-bucket.ts';

describe('token bucket rate limiter', () => {
  it('allows a burst, then refills at the per-minute rate', () => {
    let t = 0;
    const limiter = createRateLimiter({ perMinute: 60, burst: 3, now: () => t });
    expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([true, true, true]);
    const denied = limiter.take('a');
    expect(denied).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    t += 1_000;
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('keeps separate buckets per key', () => {
    const limiter = createRateLimiter({ perMinute: 60, burst: 1, now: () => 0 });
    expect(limiter.take('tenant:a').allowed).toBe(true);
    expect(limiter.take('tenant:a').allowed).toBe(false);
    expect(limiter.take('tenant:b').allowed).toBe(true);
  });

  it("applies a tenant's own limit, capping the burst at it", () => {
    let t = 0;
    const limiter = createRateLimiter({ perMinute: 1_000, burst: 100, now: () => t });
    expect([1, 2].map(() => limiter.take('slow', 2).allowed)).toEqual([true, true]);
    const denied = limiter.take('slow', 2);
    expect(denied.allowed).toBe(false);
    expect(denied.retryAfterSeconds).toBe(30);
    t += 30_000;
    expect(limiter.take('slow', 2).allowed).toBe(true);
  });

  it('reports Retry-After as whole seconds, at least one', () => {
    const limiter = createRateLimiter({ perMinute: 6_000, burst: 1, now: () => 0 });
    limiter.take('a');
    expect(limiter.take('a').retryAfterSeconds).toBe(1);
  });

  it('bounds memory by sweeping idle buckets', () => {
    let t = 0;
    const limiter = createRateLimiter({ perMinute: 60, burst: 2, now: () => t, maxBuckets: 2 });
    limiter.take('a');
    limiter.take('b');
    t += 120_000;
    expect(limiter.take('c').allowed).toBe(true);
    expect(limiter.take('a').remaining).toBe(1);
  });
});
