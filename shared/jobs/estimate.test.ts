import { describe, expect, it } from 'vitest';
import type { JobCallPlan } from './call-plan.ts';
import { estimateNote, percentOf, plannedByObject, refineEstimate, shownPercent } from './estimate.ts';

const plan = (over: Partial<JobCallPlan>): JobCallPlan => ({
  system: 'affinity', records: {}, lines: [], total: 0, countingCalls: 0, callsPerRecord: null, monthlyRemaining: null, monthlyLimit: null,
  monthlyResetSec: null, fits: true, warning: null, assumptions: [], error: null, plannedAt: '2026-12-02T00:00:00.000Z', ...over,
});
const objects = ['organizations', 'persons', 'lists'];
const planned = { organizations: 100, persons: 200, lists: 50 };

describe('refineEstimate', () => {
  it('starts from the plan and replaces a kind\'s count by what was read once it is exhausted', () => {
    expect(refineEstimate({ objects, planned, fallbackTotal: 350, extracted: [] })).toEqual({ total: 350, basis: 'call_plan' });
    // organizations read to the end: 97 there were, not 100.
    expect(refineEstimate({ objects, planned, fallbackTotal: 350, extracted: [{ object: 'organizations', records: 97, exhausted: true }] }))
      .toEqual({ total: 347, basis: 'call_plan' });
    // persons still being read, already past the plan: never below what is known.
    expect(refineEstimate({ objects, planned, fallbackTotal: 350, extracted: [
      { object: 'organizations', records: 97, exhausted: true }, { object: 'persons', records: 230, exhausted: false },
    ] })).toEqual({ total: 377, basis: 'call_plan' });
  });

  it('is exact once every kind is read, with or without a plan', () => {
    const extracted = [
      { object: 'organizations', records: 97, exhausted: true }, { object: 'persons', records: 201, exhausted: true }, { object: 'lists', records: 0, exhausted: true },
    ];
    expect(refineEstimate({ objects, planned, fallbackTotal: 350, extracted })).toEqual({ total: 298, basis: 'extracted' });
    expect(refineEstimate({ objects, planned: null, fallbackTotal: null, extracted })).toEqual({ total: 298, basis: 'extracted' });
  });

  it('has no total without a plan until every kind is read', () => {
    expect(refineEstimate({ objects, planned: null, fallbackTotal: null, extracted: [
      { object: 'organizations', records: 97, exhausted: true }, { object: 'persons', records: 201, exhausted: true },
    ] })).toEqual({ total: null, basis: null });
  });

  it('keeps a plan total without per-kind counts, never below what was read', () => {
    expect(refineEstimate({ objects, planned: null, fallbackTotal: 300, extracted: [{ object: 'organizations', records: 120, exhausted: true }] }))
      .toEqual({ total: 300, basis: 'call_plan' });
    expect(refineEstimate({ objects, planned: null, fallbackTotal: 300, extracted: [
      { object: 'organizations', records: 120, exhausted: true }, { object: 'persons', records: 190, exhausted: false },
    ] })).toEqual({ total: 310, basis: 'call_plan' });
  });
});

describe('plannedByObject', () => {
  it('reads byObject, or records when they are keyed by the job\'s kinds, and nothing from an unmade plan', () => {
    expect(plannedByObject(plan({ records: { listEntries: 50 }, byObject: { lists: 50 } }), ['lists'])).toEqual({ lists: 50 });
    expect(plannedByObject(plan({ records: { persons: 5 } }), ['persons'])).toEqual({ persons: 5 });
    expect(plannedByObject(plan({ records: { listEntries: 50 } }), ['lists'])).toBeNull();
    expect(plannedByObject(plan({ records: { persons: 5 }, error: 'unreachable' }), ['persons'])).toBeNull();
    expect(plannedByObject(null, ['persons'])).toBeNull();
  });
});

describe('percent', () => {
  it('is capped at 100, null without a total, and never below the floor', () => {
    expect(percentOf(1, 3)).toBe(33.3);
    expect(percentOf(5, 4)).toBe(100);
    expect(percentOf(5, null)).toBeNull();
    // The total grew from 100 to 120 at 50 processed: 50 % was shown, 41.7 % would be a step back.
    expect(shownPercent(50, 120, 50)).toBe(50);
    expect(shownPercent(66, 120, 50)).toBe(55);
    expect(shownPercent(5, null, 50)).toBeNull();
  });

  it('says why there is no estimate', () => {
    expect(estimateNote(null, false, null)).toMatch(/makes no call plan.*once every object kind has been read/);
    expect(estimateNote(null, false, plan({ error: 'Affinity unreachable' }))).toMatch(/could not count the records \(Affinity unreachable\)/);
    expect(estimateNote('extracted', true, null)).toMatch(/exact/);
  });
});
