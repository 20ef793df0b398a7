import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createStats } from './stats.ts';
import { createFaultInjector } from './faults.ts';
import { createPermutation, mulMod } from './permutation.ts';
import { createRng } from './prng.ts';

describe('permutation', () => {
  it('is a bijection on [0, n) whose inverse undoes it', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer(), (n, seed) => {
      const perm = createPermutation(n, seed);
      const seen = new Set<number>();
      for (let x = 0; x < n; x += 1) {
        const y = perm.apply(x);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThan(n);
        expect(perm.invert(y)).toBe(x);
        seen.add(y);
      }
      expect(seen.size).toBe(n);
    }), { numRuns: 60 });
  });

  it('multiplies modulo n exactly beyond 2^53', () => {
    expect(mulMod(2 ** 40 + 3, 2 ** 40 + 5, 1_000_000_007)).toBe(Number(((2n ** 40n + 3n) * (2n ** 40n + 5n)) % 1_000_000_007n));
  });
});

describe('prng', () => {
  it('is a pure function of its parts', () => {
    const a = createRng(1, 2, 3);
    const b = createRng(1, 2, 3);
    const c = createRng(1, 2, 4);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });
});

describe('fault injector', () => {
  it('is idle by default, repeats its decisions for a seed, and validates updates', () => {
    const idle = createFaultInjector();
    expect(idle.idle()).toBe(true);
    expect(idle.decide().action.kind).toBe('none');
    const run = () => {
      const f = createFaultInjector({ seed: 5, rate5xx: 0.3, rate429: 0.2 });
      return Array.from({ length: 50 }, () => f.decide().action);
    };
    expect(run()).toEqual(run());
    expect(run().some((a) => a.kind === 'status' && a.status === 429)).toBe(true);
    expect(() => idle.update({ resetRate: 1.5 })).toThrow();
    expect(idle.update({ latencyMs: 10 }).latencyMs).toBe(10);
    expect(idle.idle()).toBe(false);
  });
});

describe('stats', () => {
  it('keeps totals of accepted writes and when the first and last were, past the last-minute series', () => {
    let t = Date.UTC(2026, 0, 1);
    const stats = createStats(() => t);
    for (let i = 0; i < 120; i += 1) {
      stats.recordOutcome({ status: 200, write: true });
      stats.recordOutcome({ status: 429, write: true });
      stats.recordOutcome({ status: 200, write: false });
      t += 1000;
    }
    const s = stats.snapshot();
    expect(s).toMatchObject({ writes: 240, writesAccepted: 120, reads: 120, rateLimited: 120 });
    expect(s.firstWriteAt).toBe(new Date(Date.UTC(2026, 0, 1)).toISOString());
    expect(s.lastWriteAt).toBe(new Date(Date.UTC(2026, 0, 1) + 119_000).toISOString());
    expect(s.perSecond).toHaveLength(60);
    stats.reset();
    expect(stats.snapshot()).toMatchObject({ writesAccepted: 0, firstWriteAt: null, lastWriteAt: null });
  });

  it('counts a request in the second it was admitted, even when answered later', () => {
    const t0 = Date.UTC(2026, 0, 1);
    let t = t0 + 900;
    const stats = createStats(() => t);
    stats.recordOutcome({ status: 200, write: true });
    t = t0 + 1_100;
    stats.recordOutcome({ status: 200, write: true });
    // Admitted at 0.95 s, answered at 1.2 s: second 0, behind the bucket of second 1.
    t = t0 + 1_200;
    stats.recordOutcome({ status: 429, write: true, at: t0 + 950 });
    t = t0 + 3_000;
    const s = stats.snapshot(300);
    expect(s.perSecond.map((b) => [b.second - t0 / 1000, b.writes, b.writeRequests])).toEqual([[0, 1, 2], [1, 1, 1]]);
    expect(s.writeRequestsPeak).toBe(2);
  });
});
