import { describe, expect, it } from 'vitest';
import { estimatedTotalOf, type JobCallPlan } from './call-plan.ts';

const plan = (over: Partial<JobCallPlan>): JobCallPlan => ({
  system: 'affinity', records: {}, lines: [], total: 0, countingCalls: 0, callsPerRecord: null, monthlyRemaining: null, monthlyLimit: null,
  monthlyResetSec: null, fits: true, warning: null, assumptions: [], error: null, plannedAt: '2026-12-02T00:00:00.000Z', ...over,
});

describe('estimatedTotalOf', () => {
  it('sums the records the plan counted, by object', () => {
    expect(estimatedTotalOf(plan({ records: { organizations: 750, persons: 2000, opportunities: 500, listEntries: 1000, notes: 1250 } }))).toBe(5500);
  });

  it('is null without a plan, for a plan that could not be made, and for one that counted nothing', () => {
    expect(estimatedTotalOf(undefined)).toBeNull();
    expect(estimatedTotalOf(plan({ records: { persons: 10 }, error: 'Affinity unreachable', fits: null }))).toBeNull();
    expect(estimatedTotalOf(plan({ records: { persons: 0 } }))).toBeNull();
  });
});
