import { describe, expect, it } from 'vitest';
import { FIRST_WORK_GRACE, leaseCandidates, shouldStop, type StopRules } from './lease-plan.ts';
import type { WorkerView } from './namespace-manager.ts';

describe('lease candidates', () => {
  const demand = [
    { namespace: 'a', active: true }, { namespace: 'b', active: true }, { namespace: 'c', active: false }, { namespace: 'd', active: true },
  ];

  it('puts what the API just asked for first, then jobs to run, then retry windows; held ones are not candidates', () => {
    expect(leaseCandidates(demand, new Set(['c']), new Set(['b']))).toEqual([
      { namespace: 'c', tier: 0 }, { namespace: 'a', tier: 1 }, { namespace: 'd', tier: 1 },
    ]);
  });

  it("keeps the demand's own order within a tier (oldest job first)", () => {
    expect(leaseCandidates([...demand].reverse(), new Set(), new Set()).map((c) => c.namespace)).toEqual(['d', 'b', 'a', 'c']);
  });
});

describe('when a Worker with nothing in flight stops', () => {
  const rules = (over: Partial<StopRules>): StopRules => ({ demanded: new Set(['x']), pressure: false, idleStopMs: 300_000, yieldAfterMs: 15_000, ...over });
  const view = (v: Omit<WorkerView, 'worked' | 'ageMs'> & Partial<WorkerView>): WorkerView => ({ worked: true, ageMs: 600_000, ...v });

  it('without pressure: only once nobody asked for its namespace for the idle time', () => {
    expect(shouldStop(view({ namespace: 'y', sinceDemandMs: 299_000, quietMs: 999_000 }), rules({}))).toBe(false);
    expect(shouldStop(view({ namespace: 'y', sinceDemandMs: 300_000, quietMs: 0 }), rules({}))).toBe(true);
    expect(shouldStop(view({ namespace: 'x', sinceDemandMs: 0, quietMs: 999_000 }), rules({}))).toBe(false);
  });

  it('under pressure: at once when no job asks for it, after the yield time without activities when one does', () => {
    expect(shouldStop(view({ namespace: 'y', sinceDemandMs: 1_000, quietMs: 0 }), rules({ pressure: true }))).toBe(true);
    expect(shouldStop(view({ namespace: 'x', sinceDemandMs: 0, quietMs: 14_000 }), rules({ pressure: true }))).toBe(false);
    expect(shouldStop(view({ namespace: 'x', sinceDemandMs: 0, quietMs: 15_000 }), rules({ pressure: true }))).toBe(true);
  });

  it('under pressure, a Worker that has not run an activity yet keeps its place longer (it may still be replaying)', () => {
    const fresh = { namespace: 'x', sinceDemandMs: 0, quietMs: 20_000, worked: false };
    expect(shouldStop(view({ ...fresh, ageMs: 20_000 }), rules({ pressure: true }))).toBe(false);
    expect(shouldStop(view({ ...fresh, ageMs: 15_000 * FIRST_WORK_GRACE }), rules({ pressure: true }))).toBe(true);
  });
});
