import { describe, expect, it } from 'vitest';
import { planReopen, planResume, type PlanBatch } from './resume-plan.ts';

const OBJECTS = ['organizations', 'persons', 'notes'];
const TOTALS = { batchesSucceeded: 2, batchesWithErrors: 1, batchesFailed: 1, succeeded: 250, failed: 3, skipped: 1 };
const b = (object: string, seq: number, status: string, next: string | null, count = 100): PlanBatch =>
  ({ id: `${object}-${String(seq).padStart(6, '0')}`, object, seq, status, record_count: count, next_cursor: next });

describe('planResume', () => {
  it('continues the first kind not read to the end from its last next cursor, reloading unfinished batches in kind order', () => {
    const plan = planResume(OBJECTS, [
      b('persons', 1, 'failed', 'c-p2'), b('organizations', 1, 'succeeded', null), b('organizations', 0, 'completed_with_errors', 'c-o1'),
      b('persons', 0, 'running', 'c-p1'), b('persons', 2, 'pending', 'c-p3'),
    ], TOTALS, 1_000);
    expect(plan).toMatchObject({ kindIndex: 1, cursor: 'c-p3', seq: 3, exhausted: false, ready: [], paused: false, referencesPassDone: false, runs: 0, startedAtMs: 1_000 });
    expect(plan.retries).toEqual([
      { batchId: 'persons-000000', mode: 'unfinished' },
      { batchId: 'persons-000001', mode: 'unfinished', wasFailed: true },
      { batchId: 'persons-000002', mode: 'unfinished' },
    ]);
    expect(plan.totals).toEqual({ ...TOTALS, retriesRequested: 0 });
  });

  it('starts a kind never read at its beginning, and skips empty last pages', () => {
    const plan = planResume(OBJECTS, [b('organizations', 0, 'succeeded', 'x'), b('organizations', 1, 'pending', null, 0)], TOTALS, 0);
    expect(plan).toMatchObject({ kindIndex: 1, cursor: null, seq: 0, exhausted: false, retries: [] });
  });

  it('a job failed before reading anything starts from the very beginning', () => {
    expect(planResume(OBJECTS, [], TOTALS, 0)).toMatchObject({ kindIndex: 0, cursor: null, seq: 0, exhausted: false, retries: [] });
  });

  it('every kind read: nothing more to extract, only unfinished loads', () => {
    const plan = planResume(OBJECTS, [b('organizations', 0, 'succeeded', null), b('persons', 0, 'cancelled', null), b('notes', 0, 'succeeded', null)], TOTALS, 0);
    expect(plan).toMatchObject({ kindIndex: 3, exhausted: true, retries: [{ batchId: 'persons-000000', mode: 'unfinished' }] });
  });
});

describe('planReopen', () => {
  it('failed records: failed-only loads of the batches holding them; nothing to extract', () => {
    const plan = planReopen(OBJECTS, { scope: 'failed-records' }, [b('persons', 3, 'completed_with_errors', null), b('organizations', 0, 'completed_with_errors', 'x')], TOTALS, 5);
    expect(plan).toMatchObject({ kindIndex: 3, exhausted: true, referencesPassDone: false });
    expect(plan.retries).toEqual([{ batchId: 'organizations-000000', mode: 'failed-only' }, { batchId: 'persons-000003', mode: 'failed-only' }]);
    expect(plan.totals.retriesRequested).toBe(2);
  });

  it('failed batches and one batch: whole loads, a failed batch counted off when it succeeds', () => {
    expect(planReopen(OBJECTS, { scope: 'failed-batches' }, [b('persons', 3, 'failed', null)], TOTALS, 5).retries)
      .toEqual([{ batchId: 'persons-000003', mode: 'all', wasFailed: true }]);
    expect(planReopen(OBJECTS, { batchId: 'persons-000001' }, [b('persons', 1, 'completed_with_errors', null)], TOTALS, 5).retries)
      .toEqual([{ batchId: 'persons-000001', mode: 'all' }]);
  });
});
