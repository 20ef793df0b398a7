import { describe, expect, it } from 'vitest';
import { buildProgress } from './job-events.ts';

describe('buildProgress', () => {
  it('counts final outcomes against extracted records, per object and in total; no percent without an estimate', () => {
    const p = buildProgress(
      [{ object: 'persons', status: 'succeeded', count: 150 }, { object: 'persons', status: 'failed', count: 10 }, { object: 'persons', status: 'retrying', count: 5 },
        { object: 'notes', status: 'skipped', count: 40 }],
      [{ object: 'persons', records: 200 }, { object: 'notes', records: 40 }],
      null,
    );
    expect(p).toEqual({
      processed: 200, total: 240, estimatedTotal: null, percent: null,
      perObject: { persons: { processed: 160, total: 200, succeeded: 150, failed: 10, skipped: 0 }, notes: { processed: 40, total: 40, succeeded: 0, failed: 0, skipped: 40 } },
    });
  });

  it('divides by the estimate, caps at 100 %, never shows less than the floor, and has no percent when nothing is known', () => {
    expect(buildProgress([{ object: 'a', status: 'succeeded', count: 10 }], [{ object: 'a', records: 10 }], 40).percent).toBe(25);
    expect(buildProgress([{ object: 'a', status: 'succeeded', count: 10 }], [{ object: 'a', records: 10 }], 40, 30).percent).toBe(30);
    expect(buildProgress([{ object: 'a', status: 'succeeded', count: 50 }], [{ object: 'a', records: 50 }], 40).percent).toBe(100);
    // Records read so far are no denominator: 10 of 10 read is not 100 % of a job still reading.
    expect(buildProgress([{ object: 'a', status: 'succeeded', count: 10 }], [{ object: 'a', records: 10 }], null).percent).toBeNull();
    expect(buildProgress([], [], null)).toEqual({ processed: 0, total: 0, estimatedTotal: null, percent: null, perObject: {} });
  });
});
