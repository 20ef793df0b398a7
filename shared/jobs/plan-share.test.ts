import { describe, expect, it } from 'vitest';
import type { JobCallPlan } from './call-plan.ts';
import { computeShare, targetScopeOf } from './plan-share.ts';

const plan = (writes: number, records: number): JobCallPlan => ({
  system: 'affinity', records: { persons: records }, lines: [], total: 0, countingCalls: 0, callsPerRecord: null,
  monthlyRemaining: null, monthlyLimit: null, monthlyResetSec: null, fits: true, warning: null, assumptions: [], error: null, plannedAt: '2026-12-03T00:00:00.000Z',
  eta: { phases: [{ phase: 'persons', objects: ['persons'], sourceCalls: 1, targetCalls: writes, boundBy: 'writes', ms: 40_000 }], totalMs: 44_000, targetLines: [], targetTotal: writes, targetWrites: writes, limits: {} },
});
const other = (o: Partial<{ estimated_total: number | null; processed: number; plan_writes: number | null; plan_records: number | null }>) => ({
  id: '00000000-0000-4000-8000-000000000001', status: 'running', estimated_total: 500, processed: 0, plan_writes: null, plan_records: null, ...o,
});

describe('computeShare (processor sharing of the workspace write budget)', () => {
  it('alone: the ETA stays the plan\'s', () => {
    expect(computeShare(plan(1000, 1000), 'attio:workspace:w', [])).toMatchObject({ aloneMs: 44_000, sharedMs: 44_000, others: [], writes: 1000 });
  });

  it('a job with as much left as this one needs doubles the paced part; a smaller one adds its share; a larger one counts as this one', () => {
    const same = computeShare(plan(1000, 1000), 'w', [other({ estimated_total: 1000 })]);
    expect(same?.sharedMs).toBe(44_000 + 40_000);
    const half = computeShare(plan(1000, 1000), 'w', [other({ estimated_total: 800, processed: 300 })]);
    expect(half?.others[0]).toMatchObject({ remainingRecords: 500, remainingWrites: 500 });
    expect(half?.sharedMs).toBe(44_000 + 20_000);
    const big = computeShare(plan(1000, 1000), 'w', [other({ estimated_total: 100_000 }), other({ estimated_total: 100_000 })]);
    expect(big?.sharedMs).toBe(44_000 + 2 * 40_000);
  });

  it('uses the other job\'s own writes per record when its plan has them, and counts a job without an estimate as this one', () => {
    const s = computeShare(plan(1000, 1000), 'w', [other({ estimated_total: 200, plan_writes: 600, plan_records: 200 }), other({ estimated_total: null })]);
    expect(s?.others.map((o) => o.remainingWrites)).toEqual([600, 1000]);
    expect(s?.sharedMs).toBe(44_000 + Math.round(40_000 * (0.6 + 1)));
  });

  it('keys the budget by workspace when the check named one, else by connection; no ETA, no share', () => {
    expect(targetScopeOf('attio', 'c1', 'ws1')).toBe('attio:workspace:ws1');
    expect(targetScopeOf('attio', 'c1', null)).toBe('attio:connection:c1');
    expect(computeShare({ ...plan(1, 1), eta: undefined } as JobCallPlan, 'w', [])).toBeUndefined();
  });
});
