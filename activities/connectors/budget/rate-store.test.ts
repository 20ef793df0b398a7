import { describe, expect, it } from 'vitest';
import { createOffsetEstimator } from './pg-rate-store.ts';
import { applyGrant, applyRateLimited, createMemoryRateStore, newBucket, type BucketParams } from './rate-store.ts';

const params: BucketParams = { maxRate: 24.5, minRate: 2.5, step: 0.25, probeMs: 500, decreaseFactor: 0.85, cooldownMs: 1000 };
const T0 = 1_000_000;

describe('applyGrant', () => {
  it('hands out consecutive intervals at the rate: grants never overlap, idle time is not credited', () => {
    let b = newBucket(params, T0);
    const first = applyGrant(b, { key: 'k', count: 6, ...params }, T0);
    b = first.bucket;
    expect(first.grant).toMatchObject({ startMs: T0, count: 6, rate: 24.5 });
    expect(first.grant.intervalMs).toBeCloseTo(1000 / 24.5);
    const second = applyGrant(b, { key: 'k', count: 6, ...params }, T0 + 10);
    expect(second.grant.startMs).toBeCloseTo(T0 + 6 * (1000 / 24.5));
    // After an idle minute the next grant starts now, with no burst credit for the idle time.
    const later = applyGrant(second.bucket, { key: 'k', count: 6, ...params }, T0 + 60_000);
    expect(later.grant.startMs).toBe(T0 + 60_000);
  });

  it('starts after a pause, follows a cap, rescales on a new maximum', () => {
    const paused = { ...newBucket(params, T0), pausedUntilMs: T0 + 700 };
    expect(applyGrant(paused, { key: 'k', count: 1, ...params }, T0).grant.startMs).toBe(T0 + 700);
    const capped = { ...newBucket(params, T0), capRate: 2, capUntilMs: T0 + 5000 };
    expect(applyGrant(capped, { key: 'k', count: 1, ...params }, T0).grant.rate).toBe(2);
    expect(applyGrant(capped, { key: 'k', count: 1, ...params }, T0 + 6000).grant.rate).toBe(24.5);
    const half = { ...newBucket(params, T0), rate: 12.25 };
    const rescaled = applyGrant(half, { key: 'k', count: 1, ...params, maxRate: 49, minRate: 5, step: 0.5 }, T0);
    expect(rescaled.bucket.maxRate).toBe(49);
    expect(rescaled.grant.rate).toBeCloseTo(24.5);
  });
});

describe('applyRateLimited', () => {
  it('pauses, decreases once per cooldown, and probes back up through grants', () => {
    let b = newBucket(params, T0);
    const first = applyRateLimited(b, { key: 'k', retryAfterMs: 800, ...params }, T0);
    expect(first.answer).toEqual({ rate: 24.5 * 0.85, pausedUntilMs: T0 + 800, decreased: true });
    expect(first.bucket.tatMs).toBe(T0 + 800);
    const again = applyRateLimited(first.bucket, { key: 'k', ...params }, T0 + 200);
    expect(again.answer.decreased).toBe(false);
    b = again.bucket;
    let t = T0 + 1000;
    for (let i = 0; i < 20; i += 1, t += 500) b = applyGrant(b, { key: 'k', count: 1, ...params }, t).bucket;
    expect(b.rate).toBeCloseTo(24.5);
    expect(applyRateLimited(b, { key: 'k', ...params }, t).answer.decreased).toBe(true);
  });

  it('never goes below the floor', () => {
    let b = newBucket(params, T0);
    for (let i = 0; i < 50; i += 1) b = applyRateLimited(b, { key: 'k', ...params }, T0 + i * 2000).bucket;
    expect(b.rate).toBe(params.minRate);
  });
});

describe('createMemoryRateStore', () => {
  it('keeps one bucket per key, and pause/cap act on it', async () => {
    let now = T0;
    const store = createMemoryRateStore({ now: () => now, sleep: () => Promise.resolve() });
    const a = await store.grant({ key: 'a', count: 5, ...params });
    const b = await store.grant({ key: 'b', count: 5, ...params });
    expect(a.startMs).toBe(T0);
    expect(b.startMs).toBe(T0);
    await store.pause('a', 3000);
    now += 100;
    expect((await store.grant({ key: 'a', count: 1, ...params })).startMs).toBe(T0 + 3000);
    await store.cap('b', 1, 10_000);
    expect((await store.grant({ key: 'b', count: 1, ...params })).rate).toBe(1);
  });
});

describe('createOffsetEstimator', () => {
  it('narrows the offset by intersecting round-trip bounds', () => {
    const est = createOffsetEstimator();
    expect(est.offset()).toBe(0);
    // True offset +5 ms; round trips of 40, 30 and 2 ms with the server read at different points.
    est.observe(1000, 1040, 1000 + 5 + 35);
    est.observe(2000, 2030, 2000 + 5 + 1);
    est.observe(3000, 3002, 3000 + 5 + 1);
    expect(Math.abs(est.offset() - 5)).toBeLessThanOrEqual(1);
  });

  it('restarts from the latest round trip when the clock was stepped', () => {
    const est = createOffsetEstimator();
    est.observe(1000, 1002, 1001);
    est.observe(2000, 2002, 2000 + 5000 + 1);
    expect(est.offset()).toBeCloseTo(5000, -1);
  });
});
