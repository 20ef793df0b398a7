import { describe, expect, it } from 'vitest';
import { createTouchThrottle } from './touch-throttle.ts';

describe('last_used_at throttle', () => {
  it('writes at most once per interval per key', () => {
    let t = 1_000_000;
    const shouldTouch = createTouchThrottle({ intervalMs: 60_000, now: () => t });
    expect(shouldTouch('a', null)).toBe(true);
    expect(shouldTouch('a', null)).toBe(false);
    expect(shouldTouch('b', null)).toBe(true);
    t += 59_999;
    expect(shouldTouch('a', null)).toBe(false);
    t += 1;
    expect(shouldTouch('a', null)).toBe(true);
  });

  it('trusts a recent last_used_at from the database (another replica wrote it)', () => {
    const t = 1_000_000;
    const shouldTouch = createTouchThrottle({ intervalMs: 60_000, now: () => t });
    expect(shouldTouch('a', new Date(t - 10_000))).toBe(false);
    expect(shouldTouch('a', new Date(t - 61_000))).toBe(true);
  });

  it('sweeps stale entries to bound memory', () => {
    let t = 0;
    const shouldTouch = createTouchThrottle({ intervalMs: 10, now: () => t, maxEntries: 3 });
    for (const id of ['a', 'b', 'c']) shouldTouch(id, null);
    t = 100;
    expect(shouldTouch('d', null)).toBe(true);
    expect(shouldTouch('a', null)).toBe(true);
  });
});
